// Reading an answer from another service without trusting its size.

export class AnswerTooLargeError extends Error {}

/**
 * The body as text, read chunk by chunk and given up (the connection closed, nothing more
 * downloaded) as soon as it passes `maxBytes`: a node's 100 MB answer costs the reader
 * `maxBytes`, not 100 MB.
 */
export async function readAtMost(response: Response, maxBytes: number): Promise<string> {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw new AnswerTooLargeError();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new AnswerTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The same for a Node stream (undici's request API): read chunk by chunk, destroyed (the
 * connection closed) as soon as it passes `maxBytes` or says it will (`contentLength`).
 */
export async function readStreamAtMost(
  body: NodeJS.ReadableStream & { destroy(): void },
  contentLength: number,
  maxBytes: number,
): Promise<string> {
  if (contentLength > maxBytes) {
    body.destroy();
    throw new AnswerTooLargeError();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.byteLength;
    if (size > maxBytes) {
      body.destroy();
      throw new AnswerTooLargeError();
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}
