import type { ModuleRef } from '@nestjs/core';
import type { AmiClusterNode } from '../../../lib/cluster/cluster-node.js';
import { AmiService, SERVICE_CLUSTER } from '../../../lib/nest/ami.service.js';
import { AmiClusterNodeView } from '../../../lib/nest/cluster/ami-cluster-view.js';
import { AmiHealthIndicator } from '../../../lib/nest/health/ami.health-indicator.js';

/** A logged-in connection whose Ping is answered, in cluster mode, in front of a node we steer. */
function indicatorWith(node: { leader: string | null; lag: { once: number; leader: number } }) {
  const view = new AmiClusterNodeView(100);
  view.attach({
    role: 'follower',
    replicaId: 'replica-b',
    epoch: null,
    leader: async () => node.leader,
    lag: async () => node.lag,
  } as unknown as AmiClusterNode);
  const service = {
    isConnected: true,
    amiVersion: '10.0.0',
    send: async () => ({ Response: 'Success' }),
    [SERVICE_CLUSTER]: view,
  };
  const moduleRef = {
    get: (token: unknown) => {
      if (token === AmiService) return service;
      throw new Error('not provided'); // terminus's HealthIndicatorService: the indicator makes its own
    },
  };
  return new AmiHealthIndicator(moduleRef as unknown as ModuleRef);
}

describe('AmiHealthIndicator in cluster mode', () => {
  it('is up with the role, the leader and the lag when a leader holds the lease and the lag is small', async () => {
    const indicator = indicatorWith({ leader: 'replica-a', lag: { once: 100, leader: 3 } });
    await expect(indicator.isHealthy()).resolves.toEqual({
      ami: {
        status: 'up',
        connection: 'default',
        amiVersion: '10.0.0',
        role: 'follower',
        leader: 'replica-a',
        lag: { once: 100, leader: 3 },
      },
    });
  });

  it('is down when the group has no leader', async () => {
    const indicator = indicatorWith({ leader: null, lag: { once: 0, leader: 0 } });
    await expect(indicator.isHealthy()).resolves.toMatchObject({
      ami: { status: 'down', leader: null, message: 'the group has no leader' },
    });
  });

  it('is down when the once lag is above maxLag', async () => {
    const indicator = indicatorWith({ leader: 'replica-a', lag: { once: 101, leader: 0 } });
    await expect(indicator.isHealthy()).resolves.toMatchObject({
      ami: { status: 'down', lag: { once: 101, leader: 0 }, message: 'once lag 101 is above 100' },
    });
  });
});
