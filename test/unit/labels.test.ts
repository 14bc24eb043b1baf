import { describe, it, expect } from 'vitest';
import { hostname } from 'node:os';
import { LABEL_IMAGE, LABEL_MEMBER, LABEL_OWNER, LABEL_RUN, LABEL_TOOL, TOOL, labelFilter, runLabels } from '../../src/cluster/labels.js';

describe('label names', () => {
  it('are namespaced under io.etcd-firedrill', () => {
    expect(LABEL_TOOL).toBe('io.etcd-firedrill.tool');
    expect(LABEL_RUN).toBe('io.etcd-firedrill.run');
    expect(LABEL_OWNER).toBe('io.etcd-firedrill.owner');
    expect(LABEL_MEMBER).toBe('io.etcd-firedrill.member');
    expect(LABEL_IMAGE).toBe('io.etcd-firedrill.image');
    expect(TOOL).toBe('etcd-firedrill');
  });
});

describe('runLabels', () => {
  it('carries tool, run and owner (hostname:pid), no member label by default', () => {
    expect(runLabels('20261121-115432-a1b2')).toEqual({
      'io.etcd-firedrill.tool': 'etcd-firedrill',
      'io.etcd-firedrill.run': '20261121-115432-a1b2',
      'io.etcd-firedrill.owner': `${hostname()}:${process.pid}`,
    });
  });

  it('the owner ends with this process id', () => {
    expect(runLabels('r')[LABEL_OWNER]).toMatch(new RegExp(`:${process.pid}$`));
  });

  it('adds the member label when a member is given', () => {
    const l = runLabels('20261121-115432-a1b2', 'etcd-2');
    expect(l[LABEL_MEMBER]).toBe('etcd-2');
    expect(l[LABEL_RUN]).toBe('20261121-115432-a1b2');
    expect(Object.keys(l)).toHaveLength(4);
  });

  it('omits the member label for an empty member name', () => {
    expect(Object.hasOwn(runLabels('r', ''), LABEL_MEMBER)).toBe(false);
  });

  it('returns a fresh object each time', () => {
    const a = runLabels('r');
    a[LABEL_RUN] = 'changed';
    expect(runLabels('r')[LABEL_RUN]).toBe('r');
  });
});

describe('labelFilter', () => {
  it('without a run matches objects of any run: tool label plus the run label key', () => {
    expect(labelFilter()).toEqual({ label: ['io.etcd-firedrill.tool=etcd-firedrill', 'io.etcd-firedrill.run'] });
  });

  it('always requires a run label, which an image label (LABEL_IMAGE) never supplies', () => {
    for (const f of [labelFilter(), labelFilter('r-1')]) {
      expect(f.label.some((l) => l === LABEL_RUN || l.startsWith(`${LABEL_RUN}=`))).toBe(true);
      expect(f.label.some((l) => l.startsWith(LABEL_IMAGE))).toBe(false);
    }
  });

  it('with a run matches only that run', () => {
    expect(labelFilter('20261121-115432-a1b2')).toEqual({
      label: ['io.etcd-firedrill.tool=etcd-firedrill', 'io.etcd-firedrill.run=20261121-115432-a1b2'],
    });
  });

  it('matches the labels runLabels sets, with and without a run', () => {
    const labels = runLabels('x-1', 'etcd-1');
    for (const f of [...labelFilter('x-1').label, ...labelFilter().label]) {
      const eq = f.indexOf('=');
      if (eq < 0) expect(Object.hasOwn(labels, f)).toBe(true);
      else expect(labels[f.slice(0, eq)]).toBe(f.slice(eq + 1));
    }
  });

  it('a filter for one run does not match another run', () => {
    const other = runLabels('x-2');
    const runFilter = labelFilter('x-1').label.find((l) => l.startsWith(`${LABEL_RUN}=`))!;
    expect(`${LABEL_RUN}=${other[LABEL_RUN]}`).not.toBe(runFilter);
  });
});
