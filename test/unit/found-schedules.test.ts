import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandFromSpec } from '../../src/explore/command-spec.js';
import { readReplayFile } from '../../src/explore/replay.js';

// Every kept finding must stay replayable: it reads as a saved schedule and each command comes
// back as the command it was found as (the docker side is `firedrill replay <file>`).
const DIR = 'scenarios/found';

describe('scenarios/found', () => {
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    it(`${name} reads back as the schedule it was found as`, () => {
      const data = readReplayFile(join(DIR, name));
      expect(data.schema).toBe('etcd-firedrill/explore-schedule@1');
      if (data.schema !== 'etcd-firedrill/explore-schedule@1') return;
      const names = Array.from({ length: data.members }, (_, i) => `etcd-${i + 1}`);
      expect(data.specs.map((s) => commandFromSpec(s, names).toString())).toEqual(data.schedule);
      expect(data.failures.length).toBeGreaterThan(0);
    });
  }
});
