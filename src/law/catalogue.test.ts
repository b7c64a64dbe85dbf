import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../shared/paths.js';
import { CATALOGUE_DIR, loadAllCatalogues, loadCatalogueFile } from './law-config.adapter.js';
import {
  catalogueInForce,
  CatalogueError,
  findViolationType,
  parseCatalogue,
  type Catalogue,
} from './catalogue.js';
import { citationText, type Citation } from './legal-citation.js';
import { PROCEDURE_CITATIONS } from './procedure-law.js';

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await loadCatalogueFile(path.join(CATALOGUE_DIR, '2026.1.json'));
});

const clone = (): Catalogue => structuredClone(catalogue);

describe('the shipped catalogue', () => {
  it('lists the five violation types the cameras find', () => {
    expect(catalogue.violationTypes.map((type) => type.code).sort()).toEqual(
      [
        'construction_waste',
        'illegal_dumping',
        'public_space_piling',
        'shop_encroachment',
        'street_stall',
      ].sort(),
    );
  });

  it('cites the articles and paragraphs the regulation sets for each type', () => {
    const cited = (code: string) => {
      const { article, paragraph, item } = findViolationType(catalogue, code).penaltyProvision;
      return [article, paragraph, item];
    };
    expect(cited('street_stall')).toEqual([25, 2, undefined]);
    expect(cited('shop_encroachment')).toEqual([25, 5, undefined]);
    expect(cited('public_space_piling')).toEqual([25, 3, undefined]);
    expect(cited('illegal_dumping')).toEqual([28, 2, undefined]);
    expect(findViolationType(catalogue, 'illegal_dumping').violatedProvision.item).toBe(4);
    expect(cited('construction_waste')).toEqual([44, 5, undefined]);
  });

  it('distinguishes individuals from units for illegal dumping, with the statutory amounts', () => {
    const dumping = findViolationType(catalogue, 'illegal_dumping');
    expect(dumping.fineRangeFen.individual).toEqual({ minFen: 0, maxFen: 200_00 });
    expect(dumping.fineRangeFen.unit).toEqual({ minFen: 5_000_00, maxFen: 50_000_00 });
  });

  it('finds every catalogue version in the folder, and the one in force on a date', async () => {
    const all = await loadAllCatalogues();
    expect(all.get('2026.1')?.version).toBe('2026.1');
    expect(catalogueInForce(all.values(), '2026-06-01').version).toBe('2026.1');
    expect(() => catalogueInForce(all.values(), '2025-12-31')).toThrow(/no catalogue version is in force/);
  });
});

describe('catalogue validation', () => {
  it('rejects a tier band outside the statutory range', () => {
    const bad = clone();
    const stall = bad.violationTypes.find((type) => type.code === 'street_stall')!;
    const tier = stall.tiers.find((candidate) => candidate.penalty.kind === 'fine')!;
    if (tier.penalty.kind === 'fine')
      tier.penalty.individual = { minFen: 5000, standardFen: 60000, maxFen: 60000 };
    expect(() => parseCatalogue(bad)).toThrow(/leaves the statutory range 5000..50000 fen/);
  });

  it('rejects a catalogue in which some situation matches no tier', () => {
    const bad = clone();
    const stall = bad.violationTypes.find((type) => type.code === 'street_stall')!;
    stall.tiers = stall.tiers.filter((tier) => tier.id !== 'repeat_multiple');
    expect(() => parseCatalogue(bad)).toThrow(/no tier decides the situation .*"priorViolations":2/);
  });

  it('rejects a fine tier without a band for a party kind that can commit the violation', () => {
    const bad = clone();
    const dumping = bad.violationTypes.find((type) => type.code === 'illegal_dumping')!;
    const tier = dumping.tiers.find((candidate) => candidate.id === 'first_offence')!;
    if (tier.penalty.kind === 'fine') delete tier.penalty.unit;
    expect(() => parseCatalogue(bad)).toThrow(/no fine band for unit/);
  });

  it('names the field when the shape is wrong', () => {
    const bad = clone() as unknown as { procedure: Record<string, unknown> };
    bad.procedure.statementWindowWorkingDays = 'five';
    expect(() => parseCatalogue(bad)).toThrow(/catalogue \/procedure\/statementWindowWorkingDays/);
  });

  it('says which codes exist when asked for an unknown one', () => {
    expect(() => findViolationType(catalogue, 'graffiti')).toThrow(CatalogueError);
    expect(() => findViolationType(catalogue, 'graffiti')).toThrow(/known: street_stall/);
  });
});

// The legal texts live beside the repository (../shared/law); quotes must match them character for character.
describe('legal texts are quoted exactly', () => {
  let laws: Map<string, string>;
  beforeAll(async () => {
    const dir = path.resolve(REPO_ROOT, '..', 'shared', 'law');
    laws = new Map();
    for (const name of (await readdir(dir)).filter((file) => file.endsWith('.md'))) {
      const text = await readFile(path.join(dir, name), 'utf8');
      const title = /^# (.+)$/m.exec(text)?.[1]?.trim();
      if (title) laws.set(title, text);
    }
  });

  const check = (label: string, citation: Citation) => {
    const text = laws.get(citation.law);
    expect(text, `${label}: law ${citation.law} not found in ../shared/law`).toBeDefined();
    for (const excerpt of citation.excerpts) expect(text, `${label}: "${excerpt}"`).toContain(excerpt);
  };

  it('in the catalogue', () => {
    for (const type of catalogue.violationTypes) {
      check(`${type.code} violated`, type.violatedProvision);
      check(`${type.code} penalty`, type.penaltyProvision);
    }
    expect(citationText(findViolationType(catalogue, 'illegal_dumping').violatedProvision)).toContain(
      '……（四）乱倒垃圾',
    );
  });

  it('in the procedure citations', () => {
    for (const [key, citation] of Object.entries(PROCEDURE_CITATIONS)) check(key, citation);
  });
});
