import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('scale-out-in');
