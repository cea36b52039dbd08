/**
 * A throw-away CA and a serving certificate for one IP address, made with openssl (ECDSA P-256,
 * valid one day) in a temporary directory that is removed before returning: what an admission
 * webhook on the host needs for the API server to trust it (the CA goes into the webhook
 * configuration's caBundle, the address is the certificate's only subjectAltName).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHostChecked } from '../helpers/shell.ts';

/** PEM texts of the CA certificate and of the server's certificate and key. */
export interface ServingCert {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** The openssl configuration: the CA's and the server certificate's extensions. */
function opensslConfig(ip: string): string {
  return `[req]
distinguished_name = dn
prompt = no
x509_extensions = ca_ext
[dn]
CN = kube-netconform selftest webhook CA
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:${ip}
authorityKeyIdentifier = keyid
`;
}

/** Makes a CA and a certificate for `ip` signed by it. */
export async function servingCertFor(ip: string): Promise<ServingCert> {
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`not an IPv4 address: ${ip}`);
  const dir = mkdtempSync(join(tmpdir(), 'knc-webhook-cert-'));
  const at = (name: string): string => join(dir, name);
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    writeFileSync(at('openssl.cnf'), opensslConfig(ip));
    const config = ['-config', at('openssl.cnf')];
    await runHostChecked([
      'openssl',
      'req',
      '-x509',
      ...config,
      ...key,
      '-days',
      '1',
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.crt'),
    ]);
    await runHostChecked([
      'openssl',
      'req',
      '-new',
      ...config,
      ...key,
      '-subj',
      `/CN=${ip}`,
      '-keyout',
      at('server.key'),
      '-out',
      at('server.csr'),
    ]);
    await runHostChecked([
      'openssl',
      'x509',
      '-req',
      '-in',
      at('server.csr'),
      '-days',
      '1',
      '-CA',
      at('ca.crt'),
      '-CAkey',
      at('ca.key'),
      '-set_serial',
      String(Date.now()),
      '-extfile',
      at('openssl.cnf'),
      '-extensions',
      'server_ext',
      '-out',
      at('server.crt'),
    ]);
    return {
      caPem: readFileSync(at('ca.crt'), 'utf8'),
      certPem: readFileSync(at('server.crt'), 'utf8'),
      keyPem: readFileSync(at('server.key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
