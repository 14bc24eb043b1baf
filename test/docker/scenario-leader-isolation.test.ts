import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('leader-isolation');
