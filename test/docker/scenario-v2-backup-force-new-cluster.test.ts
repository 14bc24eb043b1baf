import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('v2-backup-force-new-cluster');
