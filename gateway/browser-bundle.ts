import { build, type BuildOptions } from 'esbuild';
import type { FastifyInstance } from 'fastify';

// The gateway's pages for people (the explorer, the dashboard) run browser code bundled from
// node_modules by esbuild on the first request that needs it, kept in memory and served by
// the gateway itself: no CDN, nothing fetched from elsewhere, nothing written to disk, so
// they work on a closed network.

export interface BrowserBundle {
  js: string;
  css: string;
}

/** A bundle made once per process on first use (a second or so of CPU), then kept; a failed build is tried again next time. */
export function bundledOnFirstUse(options: BuildOptions): () => Promise<BrowserBundle> {
  let made: Promise<BrowserBundle> | undefined;
  return () => {
    made ??= bundle(options).catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}

async function bundle(options: BuildOptions): Promise<BrowserBundle> {
  const result = await build({
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
    ...options,
    write: false,
  });
  const text = (extension: string) => result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

/** GET `<base>/<name>.js` and `<base>/<name>.css`, from the bundle. */
export function serveBundle(app: FastifyInstance, base: string, name: string, bundled: () => Promise<BrowserBundle>): void {
  const serve = (extension: 'js' | 'css', type: string) =>
    app.get(`${base}/${name}.${extension}`, async (_request, reply) =>
      reply
        .type(type)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'public, max-age=3600')
        .send((await bundled())[extension]),
    );
  serve('js', 'text/javascript; charset=utf-8');
  serve('css', 'text/css; charset=utf-8');
}
