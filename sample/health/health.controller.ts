import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult } from '@nestjs/terminus';
import { AmiHealthIndicator, AmiService } from 'nestjs-ami';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly ami: AmiHealthIndicator,
    private readonly service: AmiService,
  ) {}

  /**
   * 200 when the AMI connection is logged in and answers a Ping (in cluster mode: and the group has a
   * leader and keeps up); 503 otherwise. In cluster mode `cluster` says this replica's role and the leader.
   */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.ami.isHealthy('ami'), () => this.clusterRole()]);
  }

  private async clusterRole(): Promise<HealthIndicatorResult> {
    const cluster = this.service.cluster;
    if (cluster === null) return {};
    return {
      cluster: {
        status: 'up',
        role: cluster.role,
        replicaId: cluster.replicaId,
        epoch: cluster.epoch,
        leader: await cluster.leader(),
        lag: await cluster.lag(),
      },
    };
  }
}
