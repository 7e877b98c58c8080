/**
 * lib/core/references.ts: every reference is complete and linked (URL syntax,
 * DOI and arXiv id formats; CI cannot fetch the links: there is no network),
 * and the source document's errors are corrected: no "Foley" image-database
 * paper, ImageNet is Deng et al., CVPR 2009, Dive into Deep Learning has its
 * real authors, the CIFAR-10 tutorial's from_logits mistake is said.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentError, REFERENCES, formatReference } from '../../lib';
import { ROOT } from '../helpers/notebook';

const byId = (id: string) => REFERENCES.find((r) => r.id === id)!;

describe('REFERENCES: complete and linked', () => {
  it.each(REFERENCES.map((r) => [r.id, r] as const))('%s: authors, title, venue, year, an https link (a DOI/arXiv link or an official site)', (_, r) => {
    expect(r.authors.length).toBeGreaterThan(0);
    for (const a of r.authors) expect(a.trim()).toBe(a);
    expect(r.title.length).toBeGreaterThan(3);
    expect(r.venue.length).toBeGreaterThan(2);
    expect(Number.isInteger(r.year) && r.year >= 1990 && r.year <= 2026).toBe(true);
    const url = new URL(r.url);
    expect(url.protocol).toBe('https:');
    expect(url.hostname).toMatch(/\./);
    if (r.doi !== undefined) expect(r.doi).toMatch(/^10\.\d{4,9}\/\S+$/);
    if (r.arxiv !== undefined) expect(r.arxiv).toMatch(/^\d{4}\.\d{4,5}$/);
    // Papers carry a DOI or an arXiv id; other kinds link to their publisher or official site.
    if (r.kind === 'paper') expect(r.doi ?? r.arxiv).toBeDefined();
    if (r.doi && url.hostname === 'doi.org') expect(url.pathname).toBe(`/${r.doi}`);
    if (url.hostname === 'arxiv.org') expect(url.pathname).toBe(`/abs/${r.arxiv}`);
  });

  it('ids are unique', () => {
    expect(new Set(REFERENCES.map((r) => r.id)).size).toBe(REFERENCES.length);
  });

  it("lists every recommendation of the source's §8 (three books, three tools, three papers) and its §5.2 code", () => {
    const count = (s: string) => REFERENCES.filter((r) => r.sourceSection === s).length;
    expect([count('8.1'), count('8.2'), count('8.3'), count('5.2')]).toEqual([3, 3, 3, 1]);
    const source = fs.readFileSync(path.join(ROOT, '..', 'shared', 'source', 'source-document-zh.md'), 'utf8').split('## 8. 工具和资源推荐')[1] ?? '';
    if (source) for (const tool of ['TensorFlow', 'PyTorch', 'Jupyter']) expect(REFERENCES.some((r) => r.sourceSection === '8.2' && r.url.toLowerCase().includes(tool.toLowerCase()))).toBe(true);
  });
});

describe("REFERENCES: the source's errors, corrected", () => {
  it('no "Foley" and no "An Image Database Benchmark"; ImageNet is Deng et al., CVPR 2009, with its DOI', () => {
    const all = JSON.stringify(REFERENCES.map((r) => ({ ...r, correction: undefined })));
    expect(all).not.toMatch(/Foley/i);
    expect(all).not.toMatch(/An Image Database Benchmark/i);
    const imagenet = byId('deng2009imagenet');
    expect(imagenet.authors[0]).toBe('Jia Deng');
    expect(imagenet.authors).toContain('Li Fei-Fei');
    expect(imagenet.year).toBe(2009);
    expect(imagenet.venue).toContain('CVPR');
    expect(imagenet.doi).toBe('10.1109/CVPR.2009.5206848');
    expect(imagenet.correction).toMatch(/Foley[^]*no such paper/);
  });

  it('Dive into Deep Learning: Aston Zhang, Zachary C. Lipton, Mu Li, Alexander J. Smola (not "A. Bastian")', () => {
    const d2l = byId('zhang2023d2l');
    expect(d2l.title).toBe('Dive into Deep Learning');
    expect(d2l.authors).toEqual(['Aston Zhang', 'Zachary C. Lipton', 'Mu Li', 'Alexander J. Smola']);
    expect(JSON.stringify(d2l.authors)).not.toMatch(/Bastian/);
    expect(d2l.correction).toContain('A. Bastian');
  });

  it("the CIFAR-10 tutorial: the source's softmax + from_logits=True is named, with both fixes", () => {
    const t = byId('tensorflow-cnn-tutorial');
    expect(t.url).toBe('https://www.tensorflow.org/tutorials/images/cnn');
    expect(t.correction).toMatch(/softmax[^]*from_logits=True[^]*twice/);
  });

  it('only the three known errors carry a correction', () => {
    expect(REFERENCES.filter((r) => r.correction).map((r) => r.id)).toEqual(['zhang2023d2l', 'deng2009imagenet', 'tensorflow-cnn-tutorial']);
  });
});

describe('formatReference', () => {
  it('authors (year). title. venue. link; the DOI or arXiv id only when the link is not already it', () => {
    expect(formatReference(byId('deng2009imagenet'))).toBe(
      'Jia Deng, Wei Dong, Richard Socher, Li-Jia Li, Kai Li, Li Fei-Fei (2009). ImageNet: A Large-Scale Hierarchical Image Database. IEEE Conference on Computer Vision and Pattern Recognition (CVPR). https://doi.org/10.1109/CVPR.2009.5206848',
    );
    expect(formatReference(byId('devlin2019bert'))).toMatch(/arXiv:1810\.04805, https:\/\/doi\.org\/10\.18653\/v1\/N19-1423$/);
    expect(formatReference(byId('zhang2023d2l'))).toMatch(/arXiv:2106\.11342, https:\/\/d2l\.ai\/$/);
  });
  it('rejects a reference without authors', () => {
    expect(() => formatReference({ ...byId('tslab'), authors: [] })).toThrow(ArgumentError);
  });
});
