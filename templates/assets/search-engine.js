// papersite search, the engine: lunr.js 2.3.9 over the split index the build made
// (generator/search/split.py), and the result cards. search-box.js (the header box) and
// search-page.js (the search page) use it through window.papersiteSearchEngine.
// Nothing from the index is ever inserted as HTML: results are built from text nodes.
"use strict";

(function () {
  const form = document.querySelector("form.site-search");
  if (!form) return;
  const root = form.dataset.root;
  const assets = form.dataset.assets;
  const onDisk = location.protocol === "file:";
  const WORD_CHARACTER = /[\p{L}\p{N}]/u;
  // The rules Python follows too, read from the index's core (generator/search/index.py
  // browser_rules: their one home); set when the core arrives, before any query is read.
  let COMPLETIONS, PREFIX_MIN, EVERY_COMPLETION, PAIR, TYPO_MIN, TYPO_MAX, TYPO_LETTERS;
  let MAX_QUERY_WORDS, MAX_PHRASE_WORDS, GLUE_WORDS, MAX_PHRASES, PHRASE_CHECKED, EXCERPT_CHARS;
  let SEPARATOR, CJK_RUN, ARXIV_LINK, ARXIV_VERSION, QUOTED, ACCENTS, LETTERS, FOLDED, MONTHS;
  // Where papers, topics and the search page are (generator/text/urls.py browser_paths);
  // until the core arrives, the search page is where the header's form sends a query.
  const action = form.getAttribute("action");
  let PATHS = { search: action.startsWith(root) ? action.slice(root.length) : action };
  function useRules(rules) {
    ({
      completions: COMPLETIONS,
      prefix_min: PREFIX_MIN,
      every_completion: EVERY_COMPLETION,
      pair: PAIR,
      typo_min: TYPO_MIN,
      typo_max: TYPO_MAX,
      typo_letters: TYPO_LETTERS,
      max_query_words: MAX_QUERY_WORDS,
      max_phrase_words: MAX_PHRASE_WORDS,
      glue_words: GLUE_WORDS,
      max_phrases: MAX_PHRASES,
      phrase_checked: PHRASE_CHECKED,
      excerpt_chars: EXCERPT_CHARS,
      folded_letters: LETTERS,
      months: MONTHS,
      paths: PATHS,
    } = rules);
    SEPARATOR = new RegExp(rules.separator, "u");
    CJK_RUN = new RegExp(rules.cjk_run, "u");
    ARXIV_LINK = new RegExp(rules.arxiv_link, "gi");
    ARXIV_VERSION = new RegExp(rules.arxiv_version, "gi");
    QUOTED = new RegExp(rules.quoted, "g");
    ACCENTS = new RegExp(rules.accents, "g");
    FOLDED = new RegExp("[" + Object.keys(LETTERS).join("") + "]", "gu");
  }

  // ---- Loading: lunr.js and the index's files arrive by <script> tags (fetch fails from
  // file://); each file sets one entry of window.papersiteSearchData
  // (generator/search/split.py). A query loads the term chunks of its words, the
  // vocabulary only for completions and typos, and the records of the rows it shows.
  const loaded = new Map();
  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error("could not load " + src));
      document.head.appendChild(script);
    });
  }
  // The data file `name` (at assets/`path`), loaded once; a failed one is tried again later.
  function dataFile(name, path) {
    if (!loaded.has(name)) {
      const promise = loadScript(assets + path).then(() => {
        const data = (window.papersiteSearchData || {})[name];
        if (data === undefined) throw new Error("could not read " + path);
        return data;
      });
      promise.catch(() => loaded.delete(name));
      loaded.set(name, promise);
    }
    return loaded.get(name);
  }
  let starting = null;
  // lunr.js and the index's core (its chunk boundaries, topics and fields).
  function engine() {
    if (!starting) {
      starting = Promise.all([loadScript(assets + "lunr.js"), dataFile("index", "search-index.js")]).then(
        ([, core]) => {
          useRules(core.rules);
          return { core };
        },
      );
      starting.catch(() => (starting = null));
    }
    return starting;
  }
  // The last of the sorted `starts` that is <= term (the file holding that term).
  function fileOf(starts, term) {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= term) low = middle;
      else high = middle - 1;
    }
    return low;
  }
  // The files whose ranges hold terms starting with `prefix`: from the file of the prefix
  // itself on, while the next file's first term still starts with it.
  function filesOf(starts, prefix) {
    const numbers = [fileOf(starts, prefix)];
    while (numbers.at(-1) + 1 < starts.length && starts[numbers.at(-1) + 1].startsWith(prefix)) {
      numbers.push(numbers.at(-1) + 1);
    }
    return numbers;
  }
  // A term chunk: its terms (each with its number in the chunk) and their postings, per
  // field: document steps and scores, as the build wrote them (generator/search/split.py).
  const chunks = new Map();
  function chunk(core, number) {
    if (!chunks.has(number)) {
      const promise = dataFile("t" + number, `search/t${number}.js`).then((data) => ({
        terms: new Map(data.terms.map((term, t) => [term, t])),
        postings: data.postings,
      }));
      promise.catch(() => chunks.delete(number));
      chunks.set(number, promise);
    }
    return chunks.get(number);
  }
  // The vocabulary's terms starting with `prefix`, with their counts; with `forms`, also
  // the stems of the words starting with it that are not their own stems ("learni":
  // "learn", "codin": "code").
  function vocabulary(core, prefix, forms) {
    const numbers = filesOf(core.words, prefix);
    return Promise.all(numbers.map((n) => dataFile("w" + n, `search/w${n}.js`))).then((parts) => {
      const found = new Map();
      for (const part of parts) {
        part.terms.forEach((term, i) => {
          // Words only: the title's word pairs (joined by a space) are not completions.
          if (term.startsWith(prefix) && !term.includes(PAIR)) found.set(term, part.counts[i]);
        });
        if (!forms) continue;
        for (const [word, term, count] of part.forms || []) {
          if (word.startsWith(prefix)) found.set(term, count);
        }
      }
      return Array.from(found);
    });
  }
  // The terms of the index's words starting with `prefix` (the terms that start with it and
  // the stems of the words that do), with their counts, the most common first: from
  // EVERY_COMPLETION letters on all of them, else the COMPLETIONS most common (one letter
  // has these in the core): as generator/search/index.py Vocabulary.completed. Lengths and
  // letters are counted in code points, as Python counts them ("𝐬" is one).
  function completed(core, prefix) {
    const length = Array.from(prefix).length;
    const counted = length === 1 ? Promise.resolve(core.starts[prefix] || []) : vocabulary(core, prefix, true);
    return counted.then((terms) => {
      const top = terms.slice().sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return length < EVERY_COMPLETION ? top.slice(0, COMPLETIONS) : top;
    });
  }
  // Each [term, count] with its count's share of the most common one's, the first (as
  // `completed` gives them): "transf" is transformer before the rarer transfer, which a
  // plain wildcard would rank first for its idf (generator/search/index.py Vocabulary.weighed).
  function weighed(counted) {
    const most = counted.length ? counted[0][1] : 0;
    return counted.map(([term, count]) => [term, count / most]);
  }
  // As generator/search/index.py one_edit_apart: an insertion, deletion, change or swap.
  function oneEditApart(a, b) {
    if (a === b) return false;
    const x = Array.from(a);
    const y = Array.from(b);
    if (Math.abs(x.length - y.length) > 1) return false;
    // Whether p from i on equals q from j on (Python's p[i:] == q[j:]).
    const sameRest = (p, i, q, j) => {
      i = Math.min(i, p.length);
      j = Math.min(j, q.length);
      if (p.length - i !== q.length - j) return false;
      for (; i < p.length; i++, j++) if (p[i] !== q[j]) return false;
      return true;
    };
    let start = 0;
    while (start < Math.min(x.length, y.length) && x[start] === y[start]) start++;
    if (x.length === y.length) {
      if (sameRest(x, start + 1, y, start + 1)) return true;
      return x[start] === y[start + 1] && x[start + 1] === y[start] && sameRest(x, start + 2, y, start + 2);
    }
    const [longer, shorter] = x.length > y.length ? [x, y] : [y, x];
    return sameRest(longer, start + 1, shorter, start);
  }
  // A word the index holds stands for itself; one it lacks, for the words it starts
  // (three letters or more) and the terms one typo away that start with the same two
  // letters (four or more), in full: as generator/search/index.py Vocabulary.exact.
  // `held`: whether the index holds its stem; `fixes`: a typo's fixes with their counts.
  // `known`: the stem's `completed`, when asked for already.
  function exact(core, word, known = null) {
    const stemmed = stem(word);
    return chunk(core, fileOf(core.chunks, stemmed)).then(({ terms }) => {
      if (terms.has(stemmed)) return { terms: [[stemmed, 1]], typo: false, fixes: [], held: true };
      return unheld(core, word, stemmed, known).then(({ started, fixes }) => {
        const found = new Map(started);
        for (const [term] of fixes) found.set(term, 1);
        return { terms: Array.from(found), typo: fixes.length > 0, fixes, held: false };
      });
    });
  }
  // The words a word's stem starts (three letters or more), `completed` and `weighed`, and the other
  // terms one typo away that start with the same two letters, with their counts: as
  // generator/search/index.py Vocabulary.unheld. `known`: the stem's `completed`, when
  // asked for already (a word's own, when it is its stem).
  function unheld(core, word, stemmed, known = null) {
    const letters = Array.from(stemmed);
    const started =
      letters.length >= PREFIX_MIN ? (known || completed(core, stemmed)).then(weighed) : Promise.resolve([]);
    // (A stem may be much shorter than its word: "tuing", a typo of tuning, is "tu".)
    const length = Array.from(word).length;
    const nearStem = letters.length >= TYPO_MIN && length <= TYPO_MAX;
    const nearWord = length >= TYPO_MIN && length <= TYPO_MAX && letters.length >= 2;
    const near = nearStem || nearWord ? vocabulary(core, letters.slice(0, 2).join("")) : Promise.resolve([]);
    return Promise.all([started, near]).then(([completed, words]) => {
      const found = new Map(completed);
      const count = new Map(words);
      const close = nearStem ? words.filter(([term]) => oneEditApart(stemmed, term) && !found.has(term)) : [];
      const typos = close.map(([term]) => term);
      if (nearWord && words.length) {
        for (const variant of oneEditVariants(word)) {
          const term = stem(variant);
          if (count.has(term) && !found.has(term) && !typos.includes(term)) typos.push(term);
        }
      }
      return { started: completed, fixes: typos.map((term) => [term, count.get(term)]) };
    });
  }
  // Whether the index holds `word` as a word of a text: a term, or a word whose stem is
  // not itself (the forms of the vocabulary file it would be in): as
  // generator/search/index.py Vocabulary.written.
  function written(core, word) {
    const number = fileOf(core.words, word);
    return dataFile("w" + number, `search/w${number}.js`).then(
      (part) => part.terms.includes(word) || (part.forms || []).some(([form]) => form === word),
    );
  }
  // As generator/search/index.py one_edit_variants: the words one edit from `word` that keep
  // its first two letters ("segmentaton" -> "segmentation", whose stem the index holds).
  function oneEditVariants(text) {
    const word = Array.from(text);
    const part = (start, end) => word.slice(start, end).join("");
    const variants = [];
    for (let at = 2; at <= word.length; at++) {
      if (at < word.length) {
        variants.push(part(0, at) + part(at + 1));
        if (at + 1 < word.length) variants.push(part(0, at) + word[at + 1] + word[at] + part(at + 2));
      }
      for (const letter of TYPO_LETTERS) {
        if (at < word.length) variants.push(part(0, at) + letter + part(at + 1));
        variants.push(part(0, at) + letter + part(at));
      }
    }
    return variants;
  }


  // A word being typed stands for the terms of the words it starts (the terms that start
  // with it and the stems of the words that do), each boosted by its share of the most
  // common one's count, and its stem, if the index holds the word as written, in full; a
  // word no text holds, for a typo's fixes as common as that most common one or more, in
  // full; a word that starts none, for what `exact` finds and a typo's fixes: as
  // generator/search/index.py Vocabulary.typing.
  function typing(core, word) {
    const stemmed = stem(word);
    const letters = Array.from(stemmed);
    // From EVERY_COMPLETION letters on, every word starting with the stem is looked up: the
    // chunks holding one are asked for now, beside the vocabulary, not once it has named
    // them (one that starts with a title pair holds one if its first word shares the stem).
    if (letters.length >= EVERY_COMPLETION) {
      const shares = pairShares(core);
      for (const number of filesOf(core.chunks, stemmed).slice(1)) {
        if (!shares.has(number) || letters.length <= shares.get(number)) chunk(core, number);
      }
    }
    // (the word's completions are its stem's when the two are one: asked for once)
    const asked = completed(core, word);
    const known = stemmed === word ? asked : null;
    return Promise.all([asked, exact(core, word, known)]).then(([terms, fixed]) => {
      const whole = fixed.held && terms.length ? written(core, word) : Promise.resolve(false);
      return whole.then((isWhole) => {
        if (isWhole) return { terms: Array.from(new Map(weighed(terms)).set(stemmed, 1)), typo: false };
        if (!terms.length && !fixed.held) return fixed;
        const fixes = fixed.held ? unheld(core, word, stemmed, known).then(({ fixes }) => fixes) : Promise.resolve(fixed.fixes);
        return fixes.then((list) => {
          const found = new Map(terms.length ? weighed(terms) : fixed.terms);
          let typo = false;
          for (const [term, count] of list) {
            if (found.has(term) || (terms.length && count < terms[0][1])) continue;
            found.set(term, 1);
            typo = true;
          }
          return { terms: Array.from(found), typo };
        });
      });
    });
  }
  // For each chunk that starts with a title pair, how many letters its first word shares
  // with the pair's first word (generator/search/split.py pair_share).
  const shared = new WeakMap();
  function pairShares(core) {
    if (!shared.has(core)) {
      const shares = new Map();
      let next = 0;
      core.chunks.forEach((start, number) => {
        if (start.includes(PAIR)) shares.set(number, core.pairShares[next++]);
      });
      shared.set(core, shares);
    }
    return shared.get(core);
  }
  // Whether the index holds `term`.
  function held(core, term) {
    return chunk(core, fileOf(core.chunks, term)).then(({ terms }) => terms.has(term));
  }

  // ---- Queries: built with lunr's query API, so no input can throw a QueryParseError.
  function foldWord(word) {
    return word.normalize("NFD").replace(ACCENTS, "").normalize("NFC").replace(FOLDED, (c) => LETTERS[c]);
  }
  // Without punctuation at its edges, in time linear in the word (a regular expression
  // anchored at the end would try every start).
  function trimEdges(word) {
    const letters = Array.from(word);
    let start = 0;
    let end = letters.length;
    while (start < end && !WORD_CHARACTER.test(letters[start])) start++;
    while (end > start && !WORD_CHARACTER.test(letters[end - 1])) end--;
    return start === 0 && end === letters.length ? word : letters.slice(start, end).join("");
  }
  function trimWord(word) {
    return trimEdges(foldWord(word));
  }
  function stem(word) {
    return lunr.stemmer(new lunr.Token(word)).toString();
  }
  function isStopWord(word) {
    return lunr.stopWordFilter(new lunr.Token(word)) === undefined;
  }
  function plainQuery(text) {
    return text.replace(ARXIV_LINK, "$1").replace(ARXIV_VERSION, "$1");
  }
  // As generator/search/stemming.py cjk_terms: a word's CJK runs as their pairs of
  // letters (a lone letter as itself), the rest as words; null without CJK letters.
  function cjkTerms(word) {
    const parts = word.split(CJK_RUN);
    if (parts.length === 1) return null;
    const terms = [];
    parts.forEach((part, number) => {
      if (number % 2) {
        const letters = Array.from(part);
        for (let i = 0; i < Math.max(1, letters.length - 1); i++) terms.push(letters.slice(i, i + 2).join(""));
      } else {
        const trimmed = trimWord(part);
        if (trimmed && !isStopWord(trimmed)) terms.push(stem(trimmed));
      }
    });
    return terms;
  }
  // As generator/search/stemming.py phrase_words: every word, stop words included.
  function phraseWords(text, limit) {
    const words = [];
    for (const part of text.toLowerCase().split(SEPARATOR)) {
      const word = trimWord(part);
      if (!word) continue;
      words.push(word);
      if (words.length >= limit) break;
    }
    return words;
  }
  function phraseStems(text, limit) {
    return phraseWords(text, limit).map(stem);
  }
  // As generator/search/stemming.py query_words: no stop words (but the last word while
  // it is typed), CJK as pairs of letters.
  function queryWords(text, prefix) {
    const parts = plainQuery(text).toLowerCase().split(SEPARATOR).map(trimWord).filter(Boolean);
    const words = [];
    for (let number = 0; number < parts.length; number++) {
      const word = parts[number];
      const cjk = cjkTerms(word);
      if (cjk) words.push(...cjk);
      else if (!isStopWord(word) || (prefix && number === parts.length - 1)) words.push(word);
      if (words.length >= MAX_QUERY_WORDS) break;
    }
    return words.slice(0, MAX_QUERY_WORDS);
  }
  // As generator/search/index.py glue_spans and stemming.py glued_terms: runs of two to
  // GLUE_WORDS neighbouring words, and each run as one word, stemmed.
  function glued(words) {
    const runs = [];
    for (let start = 0; start < words.length; start++) {
      for (let end = start + 2; end <= Math.min(start + GLUE_WORDS, words.length); end++) {
        runs.push([start, end, stem(words.slice(start, end).join(""))]);
      }
    }
    return runs;
  }
  // As generator/search/stemming.py quoted_phrases, phrase_tokens and holds_phrase: the
  // phrases in double quotes, as words trimmed and stemmed (a CJK letter a word of its own).
  // Each phrase as [its text, its tokens].
  function quotedPhrases(text) {
    const phrases = [];
    for (const match of plainQuery(text).matchAll(QUOTED)) {
      const tokens = phraseTokens(match[1]);
      if (tokens.length >= 2) phrases.push([match[1].trim(), tokens]);
      if (phrases.length === MAX_PHRASES) break;
    }
    return phrases;
  }
  function phraseTokens(text) {
    const tokens = [];
    for (const part of text.toLowerCase().split(SEPARATOR)) {
      const word = trimWord(part);
      if (!word) continue;
      word.split(CJK_RUN).forEach((piece, number) => {
        if (number % 2) tokens.push(...Array.from(piece));
        else {
          const trimmed = trimWord(piece);
          if (trimmed) tokens.push(stem(trimmed));
        }
      });
    }
    return tokens;
  }
  function holdsPhrase(tokens, phrase) {
    for (let start = 0; start + phrase.length <= tokens.length; start++) {
      if (phrase.every((token, i) => tokens[start + i] === token)) return true;
    }
    return false;
  }
  // Of the papers with every word, the best PHRASE_CHECKED are read (records and whole
  // abstracts) for the query's phrases: those holding every phrase in the title or the
  // abstract come first (generator/search/index.py Searcher.ranked).
  function withPhrases(core, phrases, complete) {
    if (!phrases.length) return Promise.resolve([[], complete]);
    const checked = complete.slice(0, PHRASE_CHECKED);
    return Promise.all([perPaper(core, checked, "r"), perPaper(core, checked, "a")]).then(([rows, wholes]) => {
      const held = checked.filter((entry, i) => {
        const tokens = [phraseTokens(rows[i][0]), phraseTokens(wholes[i] || rows[i][3])];
        return phrases.every(([, phrase]) => tokens.some((words) => holdsPhrase(words, phrase)));
      });
      const first = new Set(held);
      return [held, held.concat(complete.filter((entry) => !first.has(entry)))];
    });
  }
  // As generator/search/index.py _positions.
  function positionsOf(words, wanted) {
    let number = 0;
    return words.map((word) => {
      const cjk = cjkTerms(word);
      if (cjk) {
        number += cjk.length; // a query word for each pair of letters
        return -1;
      }
      return number < wanted.length && word === wanted[number] ? number++ : -1;
    });
  }
  // lunr's score of a document (lunr.Index.prototype.query, 2.3.9): per field, the dot
  // product of the query vector (each term's boost) and the document's field vector (the
  // term's BM25 score, field boost included, as the build stored it), divided by the query
  // vector's norm, which is the same for every field (it holds every query term the index
  // has); summed over the fields. So a document's score is the sum of boost x stored score
  // over its postings of the query's terms, over the norm: added up here straight from the
  // chunks' postings, without lunr.js's query machinery (a MatchData object per document
  // and field: a keystroke took 38 ms, 112 ms at the 90th percentile, at 10,000 papers).
  // generator/search/index.py Searcher.scored does the same in Python; the parity tests
  // hold this to it in Chromium, and tests/test_search.py holds it to lunr.py's own query
  // of the whole index.
  function combine(core, boosts) {
    const byChunk = new Map();
    let squares = 0;
    for (const [term, boost] of boosts) {
      const number = fileOf(core.chunks, term);
      if (!byChunk.has(number)) byChunk.set(number, []);
      byChunk.get(number).push([term, boost]);
      squares += boost * boost;
    }
    const norm = Math.sqrt(squares);
    return Promise.all(Array.from(byChunk, ([number, terms]) => chunk(core, number).then((data) => [data, terms]))).then(
      (answers) => {
        const byDoc = new Map();
        for (const [data, terms] of answers) {
          for (const [term, boost] of terms) {
            const t = data.terms.get(term);
            if (t === undefined) continue;
            for (const pairs of data.postings[t]) {
              let doc = 0;
              for (let i = 0; i < pairs.length; i += 2) {
                doc += pairs[i];
                let entry = byDoc.get(doc);
                if (entry === undefined) {
                  entry = { ref: doc.toString(36), doc, score: 0, terms: new Set() };
                  byDoc.set(doc, entry);
                }
                entry.score += boost * pairs[i + 1];
                entry.terms.add(term);
              }
            }
          }
        }
        for (const entry of byDoc.values()) entry.score /= norm;
        return Array.from(byDoc.values());
      },
    );
  }
  // Papers with every word first, then the rest, each by score (to nine places) then ref.
  function search(text, options) {
    const prefix = Boolean(options && options.prefix);
    return engine().then(({ core }) => {
      const words = queryWords(text, prefix);
      if (!words.length) return { results: [], typo: false, complete: 0, words: 0, phrased: 0, phrases: [] };
      const last = words.length - 1;
      return Promise.all(
        words.map((word, position) => (prefix && position === last ? typing(core, word) : exact(core, word))),
      ).then((expanded) => glue(core, text, words, expanded)).then((expanded) => pairs(core, phraseStems(plainQuery(text), MAX_PHRASE_WORDS)).then((together) => {
        const boosts = new Map();
        for (const { terms } of expanded) {
          for (const [term, boost] of terms) boosts.set(term, (boosts.get(term) || 0) + boost);
        }
        for (const pair of together) boosts.set(pair, (boosts.get(pair) || 0) + 1);
        const typo = expanded.some((word) => word.typo && word.terms.length);
        if (!boosts.size) return { results: [], typo, complete: 0, words: words.length, phrased: 0, phrases: [] };
        // A stop word being typed stands for its completions but is not needed ("Kaiming He"):
        // generator/search/index.py optional_last.
        const needed = expanded.slice(0, words.length - (prefix && isStopWord(words[last]) ? 1 : 0));
        return combine(core, boosts).then((entries) => {
          for (const entry of entries) {
            entry.hits = needed.filter(({ terms }) => terms.some(([term]) => entry.terms.has(term))).length;
            entry.key = Math.floor(entry.score * 1e9 + 0.5);
          }
          entries.sort((a, b) => b.key - a.key || a.doc - b.doc);
          const complete = entries.filter((entry) => entry.hits === needed.length);
          const rest = entries.filter((entry) => entry.hits < needed.length);
          const phrases = quotedPhrases(text);
          return withPhrases(core, phrases, complete).then(([held, ordered]) => ({
            results: ordered.concat(rest),
            typo,
            complete: complete.length,
            words: needed.length,
            phrased: held.length,
            phrases: phrases.map(([phrase]) => phrase), // the texts of those looked for
          }));
        });
      }));
    });
  }
  // Neighbouring words the index holds as one word ("mobile net v3": "mobilenetv3") stand
  // for it too, its boost shared among them (generator/search/index.py Vocabulary.expanded).
  function glue(core, text, wanted, expanded) {
    const words = phraseWords(plainQuery(text), MAX_PHRASE_WORDS);
    const positions = positionsOf(words, wanted);
    const runs = glued(words);
    return Promise.all(runs.map(([, , term]) => held(core, term))).then((holds) => {
      const out = expanded.map(({ terms, typo }) => ({ terms: terms.slice(), typo }));
      runs.forEach(([start, end, term], i) => {
        const covered = Array.from(new Set(positions.slice(start, end).filter((n) => n >= 0))).sort((a, b) => a - b);
        if (!holds[i] || !covered.length) return;
        for (const number of covered) out[number].terms.push([term, 1 / covered.length]);
      });
      return out;
    });
  }
  // The query's neighbouring words that a title holds side by side (generator/search/split.py
  // PAIR): each such pair is a term of the "pairs" field.
  function pairs(core, stems) {
    const candidates = stems.slice(1).map((second, i) => stems[i] + PAIR + second);
    return Promise.all(
      candidates.map((pair) => chunk(core, fileOf(core.chunks, pair)).then(({ terms }) => terms.has(pair))),
    ).then((held) => candidates.filter((pair, i) => held[i]));
  }
  // Each result's entry in the files of `kind` (generator/search/split.py): "r" for
  // records, "a" for whole abstracts; core.records papers a file.
  function perPaper(core, results, kind) {
    const docs = results.map((result) => parseInt(result.ref, 36));
    const numbers = new Set(docs.map((doc) => Math.floor(doc / core.records)));
    return Promise.all(Array.from(numbers, (n) => dataFile(kind + n, `search/${kind}${n}.js`))).then(() =>
      docs.map((doc) => window.papersiteSearchData[kind + Math.floor(doc / core.records)][doc % core.records]),
    );
  }
  // The records (generator/search/index.py _store_row) of some results, by ref.
  function records(core, results) {
    return perPaper(core, results, "r").then((rows) =>
      rows.map(([title, slug, topics, excerpt, byline, date, arxiv, code]) => ({
        title, slug, topics, excerpt, byline: byline || "", date: date || "", arxiv: arxiv || "", code: code || "",
      })),
    );
  }

  // ---- Showing results: cards like theme/_cards.html's, their links shaped as
  // generator/text/urls.py and text/identifiers.py make them (a browser test holds each
  // result's links to those of the paper's card on the site).
  function folderHref(folder) {
    return root + folder + (onDisk ? "index.html" : "");
  }
  function paperHref(slug) {
    return folderHref(PATHS.paper + slug + "/");
  }
  // The search page's address for a query and its choices (topic, and `more`: sort,
  // year, author), in this order.
  function searchPageHref(query, topic, more) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (topic) params.set("topic", topic);
    for (const name of ["sort", "year", "author"]) {
      if (more && more[name]) params.set(name, more[name]);
    }
    const search = params.toString();
    return folderHref(PATHS.search) + (search ? "?" + search : "");
  }
  // The same, relative to the search page itself (for its history entries).
  function searchHereHref(query, topic, more) {
    return searchPageHref(query, topic, more).slice(root.length + PATHS.search.length);
  }
  // The words of a text whose stem is among the matched terms (regex matches, or
  // {0: text, index} for the letters of a CJK run whose pairs matched).
  function* matchedWords(text, terms) {
    for (const match of text.matchAll(/[^\s\-]+/g)) {
      if (CJK_RUN.test(match[0])) {
        yield* matchedLetters(match[0], match.index, terms);
        continue;
      }
      const core = trimWord(match[0].toLowerCase());
      if (core && terms.has(stem(core))) yield match;
    }
  }
  // In a word with CJK letters, the stretches of letters whose pairs (cjkTerms) matched.
  function* matchedLetters(word, offset, terms) {
    let at = offset; // where each piece of the word starts in the text
    for (const [number, piece] of word.split(CJK_RUN).entries()) {
      if (number % 2) {
        const letters = Array.from(piece);
        const marked = letters.map(() => false);
        if (letters.length === 1 && terms.has(piece)) marked[0] = true;
        for (let i = 0; i + 1 < letters.length; i++) {
          if (terms.has(letters[i] + letters[i + 1])) marked[i] = marked[i + 1] = true;
        }
        let start = -1;
        let position = at;
        for (let i = 0; i <= letters.length; i++) {
          if (i < letters.length && marked[i]) {
            if (start < 0) start = position;
          } else if (start >= 0) {
            yield { 0: word.slice(start - offset, position - offset), index: start };
            start = -1;
          }
          if (i < letters.length) position += letters[i].length;
        }
      }
      at += piece.length;
    }
  }
  // Text with <mark> around words whose stem matched, as DOM nodes.
  function highlighted(text, terms) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of matchedWords(text, terms)) {
      // The word without the punctuation at its edges (what trimWord keeps).
      const word = match[0];
      const core = trimEdges(word);
      const start = match.index + word.indexOf(core);
      const end = start + core.length;
      fragment.append(text.slice(last, start));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      fragment.append(mark);
      last = end;
    }
    fragment.append(text.slice(last));
    return fragment;
  }
  // An excerpt's worth of `text` (a record's excerpt or a whole abstract) from a little
  // before its first matched word, or null if no word matched.
  function passageAround(text, terms) {
    for (const match of matchedWords(text, terms)) {
      const start = match.index <= 90 ? 0 : text.indexOf(" ", match.index - 60) + 1;
      let passage = text.slice(start, start + EXCERPT_CHARS + 1);
      if (start + passage.length < text.length) passage = passage.replace(/\s+\S*$/, "").replace(/[,;:.]$/, "") + "…";
      return (start ? "…" : "") + passage;
    }
    return null;
  }
  // Once the cards are shown: a card whose excerpt (the abstract's start) has none of the
  // query's words shows the passage of the whole abstract that has them, once it comes
  // near the screen (the abstracts come eight papers a file, 5 KB gzip: loading them for
  // every card would weigh more than the rest of a search). The snippet is two lines tall
  // either way, so nothing moves; if the abstracts cannot load, the excerpts stay.
  // The observers of earlier calls; one whose cards have all left the page (a new search
  // replaced them) is disconnected, so it holds none of them.
  const watching = [];
  function deepen(core, results, cards) {
    for (const [observer, snippets] of watching.splice(0)) {
      if (snippets.some((snippet) => snippet.isConnected)) watching.push([observer, snippets]);
      else observer.disconnect();
    }
    // Only cards whose excerpt shows no matched word need their abstract (few do).
    const needed = new Map();
    cards.forEach((card, i) => {
      const snippet = card.querySelector(".card-snippet");
      if (snippet && !snippet.querySelector("mark")) needed.set(snippet, results[i]);
    });
    const show = (snippets) =>
      perPaper(core, snippets.map((snippet) => needed.get(snippet)), "a")
        .then((texts) => {
          texts.forEach((text, i) => {
            const terms = needed.get(snippets[i]).terms;
            const passage = text && passageAround(text, terms);
            if (passage) snippets[i].replaceChildren(highlighted(passage, terms));
          });
        })
        .catch(() => undefined);
    if (!needed.size) return Promise.resolve();
    if (typeof IntersectionObserver !== "function") return show(Array.from(needed.keys()));
    const observer = new IntersectionObserver(
      (entries) => {
        const near = entries.filter((entry) => entry.isIntersecting).map((entry) => entry.target);
        for (const snippet of near) observer.unobserve(snippet);
        if (near.length) show(near);
      },
      { rootMargin: "200px 0px" },
    );
    for (const snippet of needed.keys()) observer.observe(snippet);
    watching.push([observer, Array.from(needed.keys())]);
    // Settled at once (the abstracts come as their cards come near the screen), as before.
    return Promise.resolve();
  }
  function element(tag, className, children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children || []) node.append(child);
    return node;
  }

  // As PaperDate.label: "March 19, 2021", "June 2016" or "2016".
  function dateLabel(iso) {
    const [year, month, day] = iso.split("-").map(Number);
    if (!month) return String(year);
    return day ? `${MONTHS[month - 1]} ${day}, ${year}` : `${MONTHS[month - 1]} ${year}`;
  }
  // A result as templates/_cards.html makes a paper card, with the matched words marked.
  function resultCard(data, paper, terms) {
    const link = element("a", "", [highlighted(paper.title, terms)]);
    link.href = paperHref(paper.slug);
    const parts = [element("h2", "card-title", [link])];
    const meta = [];
    if (paper.byline) meta.push(element("span", "", [highlighted(paper.byline, terms)]));
    if (paper.date) {
      const time = element("time", "", [dateLabel(paper.date)]);
      time.dateTime = paper.date;
      meta.push(time);
    }
    if (meta.length) parts.push(element("p", "card-meta", meta));
    if (paper.excerpt) {
      parts.push(element("p", "card-snippet", [highlighted(passageAround(paper.excerpt, terms) || paper.excerpt, terms)]));
    }
    if (paper.topics.length) {
      const chips = element(
        "ul",
        "chips",
        paper.topics.map((n) => {
          const chip = element("a", "chip", [data.topics[n][0]]);
          chip.href = folderHref(PATHS.topic + data.topics[n][1] + "/");
          return element("li", "", [chip]);
        }),
      );
      chips.setAttribute("aria-label", "Topics");
      parts.push(chips);
    }
    const actions = [];
    if (paper.arxiv) {
      actions.push(["arXiv", "https://arxiv.org/abs/" + paper.arxiv], ["PDF", "https://arxiv.org/pdf/" + paper.arxiv]);
    }
    if (paper.code) actions.push(["Code", paper.code]);
    if (actions.length) {
      parts.push(
        element(
          "p",
          "card-actions",
          actions.map(([label, url]) => {
            const action = element("a", "", [label]);
            action.href = url;
            return action;
          }),
        ),
      );
    }
    return element("li", "card paper-card", parts);
  }

  window.papersiteSearchEngine = {
    search,
    records,
    deepen,
    dataFile,
    engine,
    queryWords,
    paperHref,
    searchPageHref,
    searchHereHref,
    highlighted,
    element,
    resultCard,
  };
})();
