import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('quota-exhaustion');
