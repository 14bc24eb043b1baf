import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('member-migrate');
