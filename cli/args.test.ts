import { describe, expect, it } from '@jest/globals';
import { helpText, listFlag, numberFlag, oneOf, parseCommand, type CommandSpec } from './args.ts';
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

  it('--help wins over everything else', () => {
    expect(parseCommand('netconform', spec, ['--help', 'extra']).help).toBe(true);
  });
});

describe('flag values', () => {
  it('numberFlag accepts positive numbers only', () => {
    expect(numberFlag({ 'timeout-scale': '2.5' }, 'timeout-scale')).toBe(2.5);
    expect(numberFlag({}, 'timeout-scale')).toBeUndefined();
    expect(() => numberFlag({ 'timeout-scale': '0' }, 'timeout-scale')).toThrow(
      '--timeout-scale must be a positive number, got "0"',
    );
    expect(() => numberFlag({ 'timeout-scale': 'fast' }, 'timeout-scale')).toThrow(UsageError);
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
        '  --help             show this help',
      ].join('\n'),
    );
  });
});
