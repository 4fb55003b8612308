import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { isLocalBrowser } from '../../../gateway/landing-page.js';
import { isAllowedOrigin } from '../../../lib/http/serve.js';

// Who gets the development token, and which origins CORS lets in.

function request(remoteAddress: string, host: string): FastifyRequest {
  return { socket: { remoteAddress }, headers: { host } } as unknown as FastifyRequest;
}

describe('a browser on this machine', () => {
  it('is one on a loopback address that asked for a loopback host name', () => {
    expect(isLocalBrowser(request('127.0.0.1', 'localhost:4000'))).toBe(true);
    expect(isLocalBrowser(request('::1', '[::1]:4000'))).toBe(true);
    expect(isLocalBrowser(request('::ffff:127.0.0.1', '127.0.0.1:4000'))).toBe(true);
  });

  it('is not one from another address, whatever host name it asks for', () => {
    expect(isLocalBrowser(request('10.1.2.3', 'localhost:4000'))).toBe(false);
    expect(isLocalBrowser(request('192.168.1.20', '127.0.0.1:4000'))).toBe(false);
    expect(isLocalBrowser(request('::ffff:10.0.0.5', 'localhost'))).toBe(false);
  });

  it('is not one whose page came from another host name resolved to loopback (DNS rebinding)', () => {
    expect(isLocalBrowser(request('127.0.0.1', 'records.attacker.example:4000'))).toBe(false);
    expect(isLocalBrowser(request('127.0.0.1', 'localhost.attacker.example'))).toBe(false);
    expect(isLocalBrowser(request('127.0.0.1', ''))).toBe(false);
  });
});

describe('CORS allow-list', () => {
  const allowed = ['http://localhost', 'https://explorer.example.org'];

  it('lets in exact origins, and any port of an origin listed without one', () => {
    expect(isAllowedOrigin('https://explorer.example.org', allowed)).toBe(true);
    expect(isAllowedOrigin('http://localhost', allowed)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5173', allowed)).toBe(true);
  });

  it('keeps out look-alikes', () => {
    expect(isAllowedOrigin('https://explorer.example.org:8443', ['https://explorer.example.org:443'])).toBe(false);
    expect(isAllowedOrigin('http://localhost.attacker.example', allowed)).toBe(false);
    expect(isAllowedOrigin('http://localhostx:80', allowed)).toBe(false);
    expect(isAllowedOrigin('https://localhost:5173', allowed)).toBe(false);
    expect(isAllowedOrigin('https://explorer.example.org.attacker.example', allowed)).toBe(false);
    expect(isAllowedOrigin('null', allowed)).toBe(false);
    expect(isAllowedOrigin('https://anything.example', [])).toBe(false);
  });
});
