/**
 * An HTTPS server on the host for an admission webhook the self-test installs: it listens on one
 * address (the host's address on the nodes' network, which the API server can reach) on a port the
 * kernel picks, hands each POSTed AdmissionReview to a handler and answers with what the handler
 * returns; a request it cannot handle gets 400 with the reason (the API server then applies the
 * webhook's failurePolicy).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { messageOf } from '../helpers/errors.ts';
import type { ServingCert } from './serving-cert.ts';

/** A running webhook server. */
export interface WebhookServer {
  /** https://<host>:<port> (no path). */
  readonly url: string;
  /** Stops accepting, closes open connections, resolves when the server is closed. */
  readonly close: () => Promise<void>;
}

/** The largest request body accepted (an AdmissionReview of a pod is a few kB). */
const maxBodyBytes = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBodyBytes) throw new Error(`request body larger than ${maxBodyBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function answer(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Starts the server on `host` with `cert`; `handle` gets each parsed JSON body and returns the
 * reply (it may throw: the request then gets 400).
 */
export async function startWebhookServer(options: {
  readonly host: string;
  readonly cert: ServingCert;
  readonly handle: (body: unknown) => unknown;
  readonly log: (line: string) => void;
}): Promise<WebhookServer> {
  const server = createServer(
    { key: options.cert.keyPem, cert: options.cert.certPem },
    (req, res) => {
      if (req.method !== 'POST') {
        answer(res, 405, 'text/plain', 'POST an AdmissionReview\n');
        return;
      }
      readBody(req)
        .then((body) => {
          answer(res, 200, 'application/json', JSON.stringify(options.handle(JSON.parse(body))));
        })
        .catch((error: unknown) => {
          options.log(`webhook: ${req.url ?? '/'}: ${messageOf(error)}`);
          answer(res, 400, 'text/plain', `${messageOf(error)}\n`);
        });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
