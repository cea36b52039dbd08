import { describe, expect, it } from '@jest/globals';
import {
  durationFlag,
  helpText,
  listFlag,
  numberFlag,
  oneOf,
  parseCommand,
  type CommandSpec,
} from './args.ts';
import { UsageError } from './usage-error.ts';

const spec: CommandSpec = {
  name: 'run',
  summary: 'Run things.',
  flags: {
    profile: { type: 'string', value: 'NAME', help: 'the profile' },
    suites: { type: 'string', value: 'AREAS', multiple: true, help: 'areas' },
    keep: { type: 'boolean', help: 'keep it' },
    'timeout-scale': { type: 'string', value: 'N', help: 'scale' },
  },
};

describe('parseCommand', () => {
  it('parses strings, booleans and repeated flags', () => {
    const p = parseCommand('netconform', spec, [
      '--profile',
      'nftables',
      '--keep',
      '--suites',
      'dns,clusterip',
      '--suites',
      'nodeport',
    ]);
    expect(p.flags.profile).toBe('nftables');
    expect(p.flags.keep).toBe(true);
    expect(listFlag(p.flags, 'suites')).toEqual(['dns', 'clusterip', 'nodeport']);
    expect(p.help).toBe(false);
  });

  it('rejects an unknown flag and lists the valid ones', () => {
    expect(() => parseCommand('netconform', spec, ['--proflie', 'x'])).toThrow(UsageError);
    try {
      parseCommand('netconform', spec, ['--proflie', 'x']);
    } catch (error) {
      expect((error as UsageError).message).toBe('unknown flag --proflie for `netconform run`');
      expect((error as UsageError).fix).toBe(
        'use one of: --profile, --suites, --keep, --timeout-scale, --help',
      );
    }
  });

  it('rejects a string flag without its value', () => {
    expect(() => parseCommand('netconform', spec, ['--profile'])).toThrow(
      /argument missing|--profile/,
    );
  });

  it('rejects unexpected positional arguments', () => {
    expect(() => parseCommand('netconform', spec, ['extra'])).toThrow(
      'unexpected argument "extra" for `netconform run`',
    );
  });

  it('--help wins over everything else, and -h is --help', () => {
    expect(parseCommand('netconform', spec, ['--help', 'extra']).help).toBe(true);
    expect(parseCommand('netconform', spec, ['-h']).help).toBe(true);
  });

  it('takes a negative number after a string flag as its value', () => {
    const p = parseCommand('netconform', spec, ['--timeout-scale', '-1', '--profile', '-.5']);
    expect(p.flags['timeout-scale']).toBe('-1');
    expect(p.flags.profile).toBe('-.5');
    expect(() => numberFlag(p.flags, 'timeout-scale')).toThrow(
      '--timeout-scale must be a positive number, got "-1"',
    );
    // A flag is still a flag, and after `--` nothing is rewritten.
    expect(() => parseCommand('netconform', spec, ['--profile', '--keep'])).toThrow(UsageError);
    expect(() => parseCommand('netconform', spec, ['--', '--profile', '-1'])).toThrow(
      'unexpected argument "--profile"',
    );
  });
});

describe('flag values', () => {
  it('numberFlag accepts positive numbers only', () => {
    expect(numberFlag({ 'timeout-scale': '2.5' }, 'timeout-scale')).toBe(2.5);
    expect(numberFlag({}, 'timeout-scale')).toBeUndefined();
    expect(() => numberFlag({ 'timeout-scale': '0' }, 'timeout-scale')).toThrow(
      '--timeout-scale must be a positive number, got "0"',
    );
    for (const bad of ['fast', '-1', 'NaN', 'Infinity', ''])
      expect(() => numberFlag({ 'timeout-scale': bad }, 'timeout-scale')).toThrow(UsageError);
  });

  it('durationFlag reads seconds, minutes and hours, and refuses anything else', () => {
    expect(durationFlag({ timeout: '90s' }, 'timeout')).toBe(90 * 1000);
    expect(durationFlag({ timeout: '30m' }, 'timeout')).toBe(30 * 60 * 1000);
    expect(durationFlag({ timeout: '1.5h' }, 'timeout')).toBe(1.5 * 3600 * 1000);
    expect(durationFlag({}, 'timeout')).toBeUndefined();
    for (const bad of ['90', '0s', '-5m', '1h30m', 'soon', '', '5 min'])
      expect(() => durationFlag({ timeout: bad }, 'timeout')).toThrow(
        `--timeout must be a duration in seconds, minutes or hours, got "${bad}"`,
      );
  });

  it('oneOf names every valid choice', () => {
    expect(oneOf('profile', 'ipvs', ['iptables', 'nftables', 'ipvs'])).toBe('ipvs');
    expect(() => oneOf('suite', 'dsn', ['dns', 'clusterip'])).toThrow('unknown suite "dsn"');
    try {
      oneOf('suite', 'dsn', ['dns', 'clusterip']);
    } catch (error) {
      expect((error as UsageError).fix).toBe('use one of: dns, clusterip');
    }
  });
});

describe('helpText', () => {
  it('lists every flag with its value name and help', () => {
    expect(helpText('netconform', spec)).toBe(
      [
        'usage: netconform run [flags]',
        '',
        'Run things.',
        '',
        'flags:',
        '  --profile NAME     the profile',
        '  --suites AREAS     areas',
        '  --keep             keep it',
        '  --timeout-scale N  scale',
        '  -h, --help         show this help',
      ].join('\n'),
    );
  });

  it('ends with the examples and the environment variables, when the command has them', () => {
    const text = helpText('netconform', {
      ...spec,
      examples: ['netconform run --keep   # keeps it'],
      environment: { KUBECONFIG: 'the kubeconfig', KNC_X: 'x' },
    });
    expect(text.split('\n').slice(-7)).toEqual([
      '',
      'examples:',
      '  netconform run --keep   # keeps it',
      '',
      'environment:',
      '  KUBECONFIG  the kubeconfig',
      '  KNC_X       x',
    ]);
  });
});
