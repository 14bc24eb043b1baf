import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('majority-loss-no-backup');
