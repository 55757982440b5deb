// W4: the W1 storm through a Nest application context: AmiModule.forRoot plus one provider with an
// @OnAmiEvent('*') and an @OnAmiEvent('Hangup') handler (decorators applied by hand: plain .mjs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runChild } from '../support/child.mjs';
import { countingListeners, measureStorm } from '../support/storm-listeners.mjs';

class NestUnavailableError extends Error {}

/** AmiModule and OnAmiEvent from the built package, or why they cannot be used yet. */
async function loadNestLayer(dist) {
  const candidates = [join(dist, 'index.js'), join(dist, 'nest', 'index.js')];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const exported = await import(pathToFileURL(file).href);
    if (typeof exported.AmiModule === 'function' && typeof exported.OnAmiEvent === 'function')
      return exported;
  }
  throw new NestUnavailableError(`no AmiModule and OnAmiEvent exported by ${candidates.join(' or ')}`);
}

async function nestEventStorm(params) {
  await import('reflect-metadata');
  let layer;
  try {
    layer = await loadNestLayer(params.dist);
  } catch (error) {
    if (error instanceof NestUnavailableError) return { unavailable: error.message };
    throw error;
  }
  const { AmiModule, AmiService, OnAmiEvent } = layer;
  const { Injectable, Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');

  const listeners = countingListeners();
  class StormHandlers {
    onAny(event) {
      listeners.onAny(event);
    }
    onHangup(event) {
      listeners.onHangup(event);
    }
  }
  const method = (name) => Object.getOwnPropertyDescriptor(StormHandlers.prototype, name);
  OnAmiEvent('*')(StormHandlers.prototype, 'onAny', method('onAny'));
  OnAmiEvent('Hangup')(StormHandlers.prototype, 'onHangup', method('onHangup'));
  Injectable()(StormHandlers);

  class BenchModule {}
  Module({
    imports: [
      AmiModule.forRoot({
        host: '127.0.0.1',
        port: params.port,
        username: 'storm',
        secret: 'bench',
        keepAlive: false,
        reconnect: false,
      }),
    ],
    providers: [StormHandlers],
  })(BenchModule);

  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const ami = app.get(AmiService);
  if (!ami.isConnected) throw new Error('the Nest app finished its bootstrap without an AMI login');
  const result = await measureStorm(listeners, () => ami.send({ Action: 'Ping' }), params);
  await app.close();
  return result;
}

runChild({ w1: nestEventStorm });
