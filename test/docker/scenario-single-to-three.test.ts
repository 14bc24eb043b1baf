import { scenarioSuite } from './scenario-suite.js';

scenarioSuite('single-to-three');
