/**
 * An endless supply of distinct, realistic routing tasks (template × product × focus phrase, then the same with
 * "(take k)"), shared by the benchmarks that must never hit the package cache by repeating a task.
 */
import { PRODUCTS, SLOT_VALUES, TASK_TEMPLATES } from './vocabulary.js';

export interface TaskRequest {
  agentId: string;
  task: string;
}

export function* taskSupply(): Generator<TaskRequest> {
  const focuses = [
    '',
    ...SLOT_VALUES.seg.map((s) => ` Focus on ${s}.`),
    ...SLOT_VALUES.reg.map((r) => ` Focus on ${r}.`),
    ...SLOT_VALUES.ch.map((c) => ` Mention ${c}.`),
  ];
  let round = 0;
  for (;;) {
    for (const focus of focuses) {
      for (const product of PRODUCTS) {
        for (const t of TASK_TEMPLATES) {
          const task = t.text.replace('{P}', `the ${product.name} ${product.category}`).replace('{name}', product.name) + focus;
          yield { agentId: t.agentId, task: round === 0 ? task : `${task} (take ${round})` };
        }
      }
    }
    round += 1;
  }
}
