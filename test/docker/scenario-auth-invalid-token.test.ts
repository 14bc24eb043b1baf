import { scenarioSuite } from './scenario-suite.js';

// Auth is the point of this scenario, so every case runs with it (the suite's known password, which
// the secrets scan then looks for); the runbook on both versions, the pitfall and the seed's recovery
// as written once each.
scenarioSuite('auth-invalid-token', [
  { members: 3, version: '3.4', tls: false, auth: true, pitfall: false },
  { members: 3, version: '3.5', tls: false, auth: true, pitfall: false },
  { members: 3, version: '3.5', tls: false, auth: true, pitfall: true },
  { members: 3, version: '3.4', tls: false, auth: true, pitfall: false, asWritten: true },
]);
