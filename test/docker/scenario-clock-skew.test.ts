import { scenarioSuite } from './scenario-suite.js';

// Plain HTTP: the warning, leases, elections, a member started ahead; the pitfall is a skew under 1 s.
scenarioSuite('clock-skew', [
  { members: 3, version: '3.4', tls: false, pitfall: false },
  { members: 3, version: '3.5', tls: false, pitfall: false },
  { members: 3, version: '3.5', tls: false, pitfall: true },
]);

// Peer TLS: a member 2 h behind its certificates' notBefore; the pitfall restarts it instead of fixing its clock.
scenarioSuite('clock-skew-tls', [
  { members: 3, version: '3.4', tls: true, pitfall: false },
  { members: 3, version: '3.5', tls: true, pitfall: false },
  { members: 3, version: '3.4', tls: true, pitfall: true },
]);
