import { scenarioSuite } from './scenario-suite.js';

// Certificates that expire are the point, so every case runs TLS (the scenario's own validity window
// wins over the bare flag); the runbook on both versions, the pitfall once.
scenarioSuite('cert-expiry', [
  { members: 3, version: '3.4', tls: true, pitfall: false },
  { members: 3, version: '3.5', tls: true, pitfall: false },
  { members: 3, version: '3.5', tls: true, pitfall: true },
]);
