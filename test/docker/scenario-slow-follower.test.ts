import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('slow-follower');
