/**
 * Minimal BERT WordPiece tokenizer (uncased), equivalent to HF `BertNormalizer` (clean_text,
 * handle_chinese_chars, lowercase, strip accents) + `BertPreTokenizer` + `WordPiece` model.
 * Written so the MiniLM candidate needs no `@huggingface/*` dependency.
 */

export interface WordPieceOptions {
  vocab: ReadonlyMap<string, number>;
  unkToken?: string;
  maxInputCharsPerWord?: number;
}

const isControl = (ch: string): boolean => {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return /\p{Cc}|\p{Cf}/u.test(ch);
};
const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || /\p{Zs}/u.test(ch);
const isPunctuation = (ch: string): boolean => {
  const cp = ch.codePointAt(0) ?? 0;
  // BERT treats every non-alphanumeric ASCII printable char as punctuation, plus Unicode P*.
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
};
const isCjk = (cp: number): boolean =>
  (cp >= 0x4e00 && cp <= 0x9fff) ||
  (cp >= 0x3400 && cp <= 0x4dbf) ||
  (cp >= 0x20000 && cp <= 0x2a6df) ||
  (cp >= 0x2a700 && cp <= 0x2b73f) ||
  (cp >= 0x2b740 && cp <= 0x2b81f) ||
  (cp >= 0x2b820 && cp <= 0x2ceaf) ||
  (cp >= 0xf900 && cp <= 0xfaff) ||
  (cp >= 0x2f800 && cp <= 0x2fa1f);

export class WordPieceTokenizer {
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly unkId: number;
  private readonly maxChars: number;

  constructor(opts: WordPieceOptions) {
    this.vocab = opts.vocab;
    const unk = this.vocab.get(opts.unkToken ?? '[UNK]');
    if (unk === undefined) throw new Error('vocab has no [UNK] token');
    this.unkId = unk;
    this.maxChars = opts.maxInputCharsPerWord ?? 100;
  }

  /** Loads the `model.vocab` of a HF tokenizer.json. */
  static fromTokenizerJson(json: {
    model: { vocab: Record<string, number>; unk_token?: string; max_input_chars_per_word?: number };
  }): WordPieceTokenizer {
    const opts: WordPieceOptions = { vocab: new Map(Object.entries(json.model.vocab)) };
    if (json.model.unk_token !== undefined) opts.unkToken = json.model.unk_token;
    if (json.model.max_input_chars_per_word !== undefined) opts.maxInputCharsPerWord = json.model.max_input_chars_per_word;
    return new WordPieceTokenizer(opts);
  }

  tokenId(token: string): number {
    const id = this.vocab.get(token);
    if (id === undefined) throw new Error(`token ${token} not in vocab`);
    return id;
  }

  private normalize(text: string): string {
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
      if (isWhitespace(ch)) out += ' ';
      else if (isCjk(cp)) out += ` ${ch} `;
      else out += ch;
    }
    // lowercase + strip accents (strip_accents: null follows lowercase in BertNormalizer)
    return out
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{Mn}/gu, '');
  }

  private preTokenize(text: string): string[] {
    const words: string[] = [];
    for (const chunk of text.split(' ')) {
      if (chunk === '') continue;
      let cur = '';
      for (const ch of chunk) {
        if (isPunctuation(ch)) {
          if (cur) words.push(cur);
          words.push(ch);
          cur = '';
        } else cur += ch;
      }
      if (cur) words.push(cur);
    }
    return words;
  }

  private wordPiece(word: string): number[] {
    const chars = Array.from(word);
    if (chars.length > this.maxChars) return [this.unkId];
    const ids: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const sub = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        const id = this.vocab.get(sub);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found === undefined) return [this.unkId];
      ids.push(found);
      start = end;
    }
    return ids;
  }

  /** Token ids without special tokens. */
  encode(text: string): number[] {
    return this.preTokenize(this.normalize(text)).flatMap((w) => this.wordPiece(w));
  }
}
