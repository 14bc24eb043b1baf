import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('stale-data-dir-rejoin');
