import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('minority-partition');
