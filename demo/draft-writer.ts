import OpenAI from 'openai';
import type { Config } from '../src/config.js';
import type { Package } from './story.js';

/** Writes the writer agent's draft from its package: scripted, or by the configured language model. */
export interface DraftWriter {
  /** The model's name when a language model writes; null when scripted. */
  model: string | null;
  write(task: string, pkg: Package): Promise<string>;
}

/** With LLM_BASE_URL and LLM_MODEL set (the mesh's own settings), an OpenAI-compatible model writes; else a script. */
export function createDraftWriter(llm: Config['llm']): DraftWriter {
  if (!llm) return scriptedWriter;
  const client = new OpenAI({ baseURL: llm.baseURL, apiKey: llm.apiKey || 'none', timeout: llm.timeoutMs, maxRetries: 1 });
  return {
    model: llm.model,
    async write(task, pkg) {
      try {
        const completion = await client.chat.completions.create({
          model: llm.model,
          max_tokens: 200,
          messages: [
            { role: 'system', content: 'You write short, factual product launch posts. Use only the context given.' },
            { role: 'user', content: `${task}\n\nContext:\n${contextLines(pkg).join('\n')}\n\nWrite three sentences.` },
          ],
        });
        const text = completion.choices[0]?.message.content?.trim();
        if (text) return text;
      } catch (error) {
        console.warn(
          `   (the language model failed: ${error instanceof Error ? error.message : String(error)}; the scripted draft is used)`,
        );
      }
      return scriptedWriter.write(task, pkg);
    },
  };
}

function contextLines(pkg: Package): string[] {
  return [
    ...pkg.items.map((item) => `- ${item.context.text}`),
    ...(pkg.compressed ? [`- (summary) ${pkg.compressed.originalContextIds.length} more`] : []),
  ];
}

/** Builds the draft from the package's own sentences, so what it rests on is visible in the text. */
const scriptedWriter: DraftWriter = {
  model: null,
  async write(_task, pkg) {
    const rumour = pkg.items.find((item) => item.context.text.includes('discontinuing'));
    const lead = rumour
      ? 'With Brewtech leaving the home grinder market this spring, Aurora is the premium grinder to buy.'
      : 'Aurora is the premium home grinder that keeps every dose fresh.';
    return `${lead} It retains under 0.1 g of grounds, where Brewtech keeps up to 1.2 g, and its light-roast presets end clumping. Cafe results from the first morning, no learning curve.`;
  },
};
