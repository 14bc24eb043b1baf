// The one registry of faults: a scenario or the explorer names them as Faults.<name>(target).
import { blackhole, delay, refuseConnections } from './delay.js';
import { kill, stop } from './kill.js';
import { pause } from './pause.js';
import { dropInbound, dropOutbound, isolate, packetLoss, partition } from './partition.js';
import { rateLimit } from './rate-limit.js';
import { jumpMonotonic, skewClock, skewClockFromStart } from './skew-clock.js';

export const Faults = {
  blackhole,
  delay,
  dropInbound,
  dropOutbound,
  isolate,
  jumpMonotonic,
  kill,
  packetLoss,
  partition,
  pause,
  rateLimit,
  refuseConnections,
  skewClock,
  skewClockFromStart,
  stop,
};
export type { Fault, FaultContext, Injection } from './fault.js';
export { injection } from './fault.js';
