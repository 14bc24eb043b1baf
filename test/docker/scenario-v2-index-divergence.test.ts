import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('v2-index-divergence');
