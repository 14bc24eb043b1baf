// The one registry of faults: a scenario or the explorer names them as Faults.<name>(target).
import { kill, stop } from './kill.js';
import { pause } from './pause.js';
import { dropInbound, dropOutbound, isolate, packetLoss, partition } from './partition.js';
import { jumpMonotonic, skewClock, skewClockFromStart } from './skew-clock.js';

export const Faults = {
  dropInbound,
  dropOutbound,
  isolate,
  jumpMonotonic,
  kill,
  packetLoss,
  partition,
  pause,
  skewClock,
  skewClockFromStart,
  stop,
};
export type { Fault, FaultContext, Injection } from './fault.js';
export { injection } from './fault.js';
