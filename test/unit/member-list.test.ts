import { describe, expect, it } from 'vitest';
import { parseMemberList } from '../../src/runbook/member-list.js';

describe('parseMemberList', () => {
  it('reads started and unstarted rows, IDs in hex, the IsLearner field', () => {
    const out = [
      '8e9e05c52164694d, started, etcd-1, http://10.213.7.11:2380, http://10.213.7.11:2379, false',
      'a44198098f215f56, unstarted, , http://10.213.7.13:2380, , false',
      '1ce6d6d01109192, started, etcd-3, http://10.213.7.12:2380,http://10.213.8.12:2380, http://10.213.7.12:2379, true',
    ].join('\n');
    expect(parseMemberList(out)).toEqual([
      {
        id: '8e9e05c52164694d',
        status: 'started',
        name: 'etcd-1',
        peerUrls: ['http://10.213.7.11:2380'],
        clientUrls: ['http://10.213.7.11:2379'],
        isLearner: false,
      },
      { id: 'a44198098f215f56', status: 'unstarted', name: '', peerUrls: ['http://10.213.7.13:2380'], clientUrls: [], isLearner: false },
      {
        id: '1ce6d6d01109192',
        status: 'started',
        name: 'etcd-3',
        peerUrls: ['http://10.213.7.12:2380', 'http://10.213.8.12:2380'],
        clientUrls: ['http://10.213.7.12:2379'],
        isLearner: true,
      },
    ]);
  });

  it('skips warnings and blank lines', () => {
    const out = '{"level":"warn","msg":"deprecated"}\n\n8e9e05c52164694d, started, etcd-1, http://a:2380, http://a:2379, false\n';
    expect(parseMemberList(out).map((r) => r.id)).toEqual(['8e9e05c52164694d']);
  });
});
