import { NotFoundError } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports.js';
import type { IdempotencyClaim } from '../../domain/store-ports.js';
import type { NewPolicy, PolicyStore, ViolationFilter } from '../../domain/workflows/ports.js';
import { roleKey } from '../../domain/workflows/requirements.js';
import type { PolicyViolation, PublishingPolicy } from '../../domain/workflows/types.js';
import { assertAgentsExist } from './context-checks.js';
import type { Neo4jExecutor, TxRunner } from './executor.js';
import { claimIdempotency, completeIdempotency } from './idempotency.js';
import { ALL_POLICIES, POLICY_BY_ID, REMOVE_POLICY, SET_POLICY, STEP_PRESENCE, VIOLATIONS } from './statements/workflows.js';
import { toPolicy, toViolation } from './workflow-store.js';

/** Publishing policies (set, removed, listed) and the violations completeStep recorded. */
export class Neo4jPolicyStore implements PolicyStore {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
  ) {}

  async list(limit: number): Promise<PublishingPolicy[]> {
    return (await this.executor.readOne(ALL_POLICIES, { limit })).map((row) => toPolicy(row['policy']));
  }

  async set(policy: NewPolicy, idempotency: IdempotencyClaim | null): Promise<PublishingPolicy> {
    const now = this.clock.now().toISOString();
    return this.executor.write(SET_POLICY.name, async (tx) => {
      if ((await claimIdempotency(tx, idempotency, now)) !== null) return this.byId(tx, policy.id);
      await assertTargetExists(tx, policy.target);
      const t = policy.target;
      const [row] = await tx.run(SET_POLICY, {
        now,
        p: {
          id: policy.id,
          kind: t.kind,
          agentId: t.kind === 'AGENT' ? t.agentId : null,
          role: t.kind === 'ROLE' ? t.role : null,
          roleKey: t.kind === 'ROLE' ? roleKey(t.role) : null,
          workflowId: t.kind === 'STEP' ? t.workflowId : null,
          stepId: t.kind === 'STEP' ? t.stepId : null,
          requires: policy.requires,
          mode: policy.mode,
          setBy: policy.setBy,
        },
      });
      await completeIdempotency(tx, idempotency, JSON.stringify(policy.id));
      return toPolicy(row?.['policy']);
    });
  }

  async remove(id: string, idempotency: IdempotencyClaim | null): Promise<boolean> {
    const now = this.clock.now().toISOString();
    return this.executor.write(REMOVE_POLICY.name, async (tx) => {
      const prior = await claimIdempotency(tx, idempotency, now);
      if (prior !== null) return JSON.parse(prior) as boolean;
      const [row] = await tx.run(REMOVE_POLICY, { id });
      const removed = row?.['removed'] === true;
      await completeIdempotency(tx, idempotency, JSON.stringify(removed));
      return removed;
    });
  }

  async violations(filter: ViolationFilter): Promise<PolicyViolation[]> {
    return (await this.executor.readOne(VIOLATIONS, { ...filter })).map((row) => toViolation(row['violation']));
  }

  /** A replayed setPublishingPolicy answers with the policy as it is now. */
  private async byId(tx: TxRunner, id: string): Promise<PublishingPolicy> {
    const [row] = await tx.run(POLICY_BY_ID, { id });
    if (!row) throw new NotFoundError('PublishingPolicy', [id]);
    return toPolicy(row['policy']);
  }
}

/** An agent policy names an existing agent; a step policy an existing step (NOT_FOUND otherwise). A role is free text. */
async function assertTargetExists(tx: TxRunner, target: NewPolicy['target']): Promise<void> {
  if (target.kind === 'AGENT') await assertAgentsExist(tx, [target.agentId]);
  if (target.kind !== 'STEP') return;
  const [row] = await tx.run(STEP_PRESENCE, { workflowId: target.workflowId, stepId: target.stepId });
  if (row?.['exists'] !== true) throw new NotFoundError('WorkflowStep', [target.stepId]);
}
