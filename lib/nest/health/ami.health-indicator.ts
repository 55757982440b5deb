import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type AmiService, SERVICE_CLUSTER } from '../ami.service.js';
import { getAmiServiceToken } from '../ami.tokens.js';
import { loadOptionalPeer } from '../bridges/optional-peer.js';
import type { AmiClusterNodeView } from '../cluster/ami-cluster-view.js';

export interface AmiHealthCheckOptions {
  /** The connection checked. Default: the unnamed connection. */
  connection?: string;
  /** How long the Ping may take, in ms. Default 3 000. */
  timeout?: number;
}

/** Shaped like @nestjs/terminus's HealthIndicatorResult, without making terminus a hard dependency. */
export type AmiHealthIndicatorResult<Key extends string = string> = {
  [K in Key]: { status: 'up' | 'down'; [detail: string]: unknown };
};

type Details = Record<string, unknown>;

// The part of terminus's HealthIndicatorService used here (terminus 11 and 12 share it).
interface HealthIndicatorSessionLike<Key extends string> {
  up(data?: Details): AmiHealthIndicatorResult<Key>;
  down(data?: Details): AmiHealthIndicatorResult<Key>;
}

interface HealthIndicatorServiceLike {
  check<Key extends string>(key: Key): HealthIndicatorSessionLike<Key>;
}

/**
 * A @nestjs/terminus health indicator (through its HealthIndicatorService, terminus 11 and 12): up when
 * the connection is logged in and a Ping is answered within the timeout, down otherwise. terminus is an
 * optional peer, loaded on the first check. In cluster mode it is also down when the group has no leader
 * or its `once` lag is above `cluster.maxLag`, with `role`, `leader` and `lag` in the details.
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.ami.isHealthy('ami')]); }
 * ```
 */
@Injectable()
export class AmiHealthIndicator {
  private indicators: HealthIndicatorServiceLike | null = null;

  constructor(private readonly moduleRef: ModuleRef) {}

  async isHealthy<const Key extends string = 'ami'>(
    key: Key = 'ami' as Key,
    options: AmiHealthCheckOptions = {},
  ): Promise<AmiHealthIndicatorResult<Key>> {
    const indicator = (await this.indicatorService()).check(key);
    const connection = options.connection ?? 'default';
    const timeout = options.timeout ?? 3_000;
    let service: AmiService;
    try {
      service = this.moduleRef.get(getAmiServiceToken(options.connection), { strict: false });
    } catch {
      return indicator.down({ connection, message: `no AMI connection named "${connection}"` });
    }
    if (!service.isConnected) {
      return indicator.down({ connection, state: service.state, message: 'not logged in' });
    }
    try {
      await service.send({ Action: 'Ping' }, { timeout, waitForConnection: 0 });
    } catch (error) {
      return indicator.down({ connection, state: service.state, message: (error as Error).message });
    }
    const cluster = service[SERVICE_CLUSTER];
    if (cluster === null) return indicator.up({ connection, amiVersion: service.amiVersion });
    return this.clusterHealth(indicator, { connection, amiVersion: service.amiVersion }, cluster);
  }

  private async clusterHealth<Key extends string>(
    indicator: HealthIndicatorSessionLike<Key>,
    details: Details,
    cluster: AmiClusterNodeView,
  ): Promise<AmiHealthIndicatorResult<Key>> {
    const role = cluster.role;
    let leader: string | null;
    let lag: { once: number; leader: number };
    try {
      [leader, lag] = await Promise.all([cluster.leader(), cluster.lag()]);
    } catch (error) {
      return indicator.down({ ...details, role, message: `Redis: ${(error as Error).message}` });
    }
    const figures = { ...details, role, leader, lag };
    if (leader === null) return indicator.down({ ...figures, message: 'the group has no leader' });
    if (lag.once > cluster.maxLag) {
      return indicator.down({ ...figures, message: `once lag ${lag.once} is above ${cluster.maxLag}` });
    }
    return indicator.up(figures);
  }

  private async indicatorService(): Promise<HealthIndicatorServiceLike> {
    if (this.indicators !== null) return this.indicators;
    const terminus = await loadOptionalPeer(
      '@nestjs/terminus',
      'AmiHealthIndicator',
      () => import('@nestjs/terminus'),
    );
    let service: object;
    try {
      // The application's own, when TerminusModule is imported where this indicator can see it.
      service = this.moduleRef.get(terminus.HealthIndicatorService, { strict: false });
    } catch {
      service = new terminus.HealthIndicatorService();
    }
    this.indicators = service as HealthIndicatorServiceLike;
    return this.indicators;
  }
}
