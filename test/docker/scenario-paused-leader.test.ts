import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('paused-leader');
