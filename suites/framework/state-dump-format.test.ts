import { describe, expect, test } from '@jest/globals';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import {
  dumpBounds,
  formatEvent,
  formatEvents,
  formatPod,
  formatPods,
  renderStateDump,
  tailOfLog,
  type StateDumpContent,
} from './state-dump-format.ts';

const t = (s: string): Date => new Date(`2026-12-08T${s}Z`);

const runningPod: V1Pod = {
  metadata: { name: 'web-6d8f-abcde' },
  spec: { nodeName: 'kind-worker', containers: [{ name: 'web' }] },
  status: {
    phase: 'Running',
    podIP: '10.244.1.5',
    podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00:10:244:1::5' }],
    hostIP: '172.18.0.3',
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
    ],
    containerStatuses: [
      {
        name: 'web',
        ready: true,
        restartCount: 0,
        image: 'nginx',
        imageID: '',
        state: { running: { startedAt: t('00:01:02') } },
      },
    ],
  },
};

const crashingPod: V1Pod = {
  metadata: { name: 'client' },
  spec: { nodeName: 'kind-worker2', containers: [{ name: 'netshoot' }] },
  status: {
    phase: 'Running',
    podIP: '10.244.2.7',
    hostIP: '172.18.0.4',
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [netshoot]',
      },
    ],
    containerStatuses: [
      {
        name: 'netshoot',
        ready: false,
        restartCount: 3,
        image: 'netshoot',
        imageID: '',
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: t('00:02:00') } },
      },
    ],
  },
};

describe('pod states', () => {
  test('phase, ready containers, restarts, node and every IP on one line, conditions below', () => {
    expect(formatPod(runningPod)).toBe(
      [
        'web-6d8f-abcde: Running, ready 1/1, restarts 0, node kind-worker, pod IP 10.244.1.5 fd00:10:244:1::5, host IP 172.18.0.3',
        '  conditions: Initialized, Ready, PodScheduled',
      ].join('\n'),
    );
  });

  test('a False condition says why, and a container that is not fine gets its line', () => {
    expect(formatPod(crashingPod)).toBe(
      [
        'client: Running, ready 0/1, restarts 3, node kind-worker2, pod IP 10.244.2.7, host IP 172.18.0.4',
        '  conditions: Ready=False (ContainersNotReady: containers with unready status: [netshoot])',
        '  container netshoot: waiting (CrashLoopBackOff: back-off 40s), not ready, restarts 3, last terminated Error (exit 1) at 2026-12-08T00:02:00Z',
      ].join('\n'),
    );
  });

  test('a pod not scheduled has no node and no IP', () => {
    const pending: V1Pod = {
      metadata: { name: 'stuck' },
      spec: { containers: [{ name: 'web' }] },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available',
          },
        ],
      },
    };
    expect(formatPod(pending)).toBe(
      [
        'stuck: Pending, ready 0/1, restarts 0, node (not scheduled), pod IP none, host IP none',
        '  conditions: PodScheduled=False (Unschedulable: 0/3 nodes are available)',
      ].join('\n'),
    );
  });

  test('pods by name; an empty list says what it means', () => {
    expect(formatPods([runningPod, crashingPod], 'none').split('\n')[0]).toMatch(/^client:/);
    expect(formatPods([], 'no CoreDNS pod runs')).toBe('no CoreDNS pod runs');
  });
});

const event = (at: string, reason: string, message: string, count = 1): CoreV1Event => ({
  metadata: { name: `e-${at}` },
  involvedObject: { kind: 'Pod', name: 'web-6d8f-abcde' },
  type: 'Warning',
  reason,
  message,
  count,
  lastTimestamp: t(at),
  source: { component: 'kubelet', host: 'kind-worker' },
});

describe('events', () => {
  test('one line: time, type, reason, object, source, message and count', () => {
    expect(formatEvent(event('00:03:04', 'Unhealthy', 'Readiness probe failed:\n 503', 12))).toBe(
      '2026-12-08T00:03:04Z  Warning  Unhealthy  pod/web-6d8f-abcde  (kubelet, kind-worker)  Readiness probe failed: 503 (x12)',
    );
  });

  test('a long message is cut', () => {
    const line = formatEvent(event('00:00:01', 'Failed', 'x'.repeat(1000)), 20);
    expect(line.endsWith(`${'x'.repeat(19)}…`)).toBe(true);
  });

  test('the newest are kept, oldest first, and the rest counted', () => {
    const events = ['00:00:03', '00:00:01', '00:00:04', '00:00:02'].map((at) =>
      event(at, `R${at.slice(-1)}`, 'm'),
    );
    expect(
      formatEvents(events, 2)
        .split('\n')
        .map((l) => l.split('  ')[2] ?? l),
    ).toEqual(['… 2 older event(s) left out (the newest 2 are kept)', 'R3', 'R4']);
    expect(formatEvents([])).toBe('no events');
  });
});

describe('log tails', () => {
  test('a short log is kept whole', () => {
    expect(tailOfLog('a\nb\n')).toBe('a\nb');
    expect(tailOfLog('')).toBe('(empty log)');
  });

  test('a long one keeps its newest whole lines within the byte cap, and says what it left', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')}`);
    const tail = tailOfLog(lines.join('\n'), 50);
    const [note, ...kept] = tail.split('\n');
    expect(kept).toEqual(lines.slice(-5)); // six would be 53 bytes
    expect(Buffer.byteLength(kept.join('\n'))).toBeLessThanOrEqual(50);
    const left = Buffer.byteLength(lines.join('\n')) - Buffer.byteLength(kept.join('\n'));
    expect(note).toBe(`… ${left} earlier byte(s) left out (50 bytes per log)`);
  });
});

const content = (sections: { title: string; body: string }[]): StateDumpContent => ({
  area: 'dns',
  namespace: 'knc-dns-a1b2c3',
  runId: 'r-a1b2c3',
  failedChecks: ['dns/a', 'dns/b'],
  involvedNodes: ['kind-worker', 'kind-worker2'],
  gatheredAt: t('00:10:00.250'),
  durationMs: 1400,
  budgetMs: 30_000,
  sections,
});

describe('the whole dump', () => {
  test('a header saying what it is for and how it is bounded, then each section', () => {
    const text = renderStateDump(content([{ title: 'pods in knc-dns-a1b2c3', body: 'no pods\n' }]));
    expect(text).toBe(
      [
        'state dump of area dns (namespace knc-dns-a1b2c3, run r-a1b2c3), gathered at 2026-12-08T00:10:00Z in 1.4 s',
        'for the failed checks: dns/a, dns/b',
        "involved nodes (where the area's pods ran): kind-worker, kind-worker2",
        'bounds: the newest 100 events per namespace; the last 200 lines of each log, at most 32 KiB each, kube-proxy of at most 6 nodes and at most 3 CoreDNS pods; 256 KiB in all; gathered within 30 s (stateDump in helpers/timeouts.ts)',
        '',
        '=== pods in knc-dns-a1b2c3 ===',
        'no pods',
        '',
      ].join('\n'),
    );
  });

  test('the set-up failure is named', () => {
    const text = renderStateDump({ ...content([]), setUpFailure: 'timed out after 120 s' });
    expect(text.split('\n')[2]).toBe("the area's set-up failed: timed out after 120 s");
  });

  test('never more than the cap in all: the section that does not fit is cut, later ones named', () => {
    const bounds = { ...dumpBounds, totalBytes: 2048 };
    const long = Array.from({ length: 200 }, (_, i) => `log line ${i}`).join('\n');
    const text = renderStateDump(
      content([
        { title: 'pods', body: 'p' },
        { title: 'kube-proxy logs', body: long },
        { title: 'CoreDNS logs', body: 'c' },
      ]),
      bounds,
    );
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
    expect(text).toContain('=== pods ===\np\n');
    expect(text).toContain('=== kube-proxy logs ===\nlog line 0\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      "… cut here: the dump's cap of 2.0 KiB is reached; left out: CoreDNS logs",
    );
    expect(text).not.toContain('=== CoreDNS logs ===');
  });

  test('multi-byte text is never cut inside a character', () => {
    const bounds = { ...dumpBounds, totalBytes: 1024 };
    const text = renderStateDump(content([{ title: 'events', body: 'é'.repeat(2000) }]), bounds);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024);
    expect(text).not.toContain('\uFFFD');
  });
});
