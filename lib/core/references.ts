/**
 * The course's references: the books, tools and papers the source document
 * recommends (its §8), with its errors corrected and said, and the works the
 * course itself cites for its outlook and tools chapters (07, 08). Each entry
 * has a link to the publisher, a DOI or arXiv, or the project's official site.
 */
import { ArgumentError, describe } from './errors';

/** One reference. */
export interface Reference {
  /** Short id, e.g. `'deng2009imagenet'`. */
  id: string;
  /** Authors as printed on the work, in order ("First Last"); an organisation for software and tutorials. */
  authors: readonly string[];
  /** The title as published. */
  title: string;
  /** Where it appeared: conference, journal, publisher, or web site. */
  venue: string;
  /** Year of publication (of the edition linked). */
  year: number;
  /** A link to the work: DOI resolver, arXiv, publisher or official site (https). */
  url: string;
  /** The DOI, when it has one, e.g. `'10.1109/CVPR.2009.5206848'`. */
  doi?: string;
  /** The arXiv identifier, when it has one, e.g. `'1810.04805'`. */
  arxiv?: string;
  /** What kind of work it is. */
  kind: 'book' | 'paper' | 'software' | 'tutorial' | 'dataset' | 'article';
  /** The source document's section that recommends it (`'5.2'`, `'8.1'`, `'8.2'`, `'8.3'`), if it does. */
  sourceSection?: string;
  /** What the source document got wrong about it, if anything. */
  correction?: string;
}

/**
 * The references, in the order chapter 08 lists them: the source's learning
 * resources (§8.1), tools (§8.2), papers (§8.3), its CIFAR-10 code (§5.2),
 * then the works chapters 07 and 08 cite.
 * @example
 * ```ts
 * REFERENCES.find((r) => r.id === 'deng2009imagenet').venue; // 'IEEE Conference on Computer Vision and Pattern Recognition (CVPR)'
 * REFERENCES.find((r) => r.id === 'zhang2023d2l').authors; // ['Aston Zhang', 'Zachary C. Lipton', 'Mu Li', 'Alexander J. Smola']
 * ```
 * @see [Notebook 07 §5 Medicine, finance, energy: what the outlook needs](../../notebooks/07-outlook.ipynb#5.-Medicine,-finance,-energy:-what-the-outlook-needs)
 * @see [Notebook 08 §1 The references](../../notebooks/08-tools-and-resources.ipynb#1.-The-references)
 */
export const REFERENCES: readonly Reference[] = Object.freeze(
  (
    [
      // §8.1 learning resources
      { id: 'goodfellow2016deep', authors: ['Ian Goodfellow', 'Yoshua Bengio', 'Aaron Courville'], title: 'Deep Learning', venue: 'MIT Press', year: 2016, url: 'https://www.deeplearningbook.org/', kind: 'book', sourceSection: '8.1' },
      {
        id: 'zhang2023d2l',
        authors: ['Aston Zhang', 'Zachary C. Lipton', 'Mu Li', 'Alexander J. Smola'],
        title: 'Dive into Deep Learning',
        venue: 'Cambridge University Press',
        year: 2023,
        url: 'https://d2l.ai/',
        arxiv: '2106.11342',
        kind: 'book',
        sourceSection: '8.1',
        correction: 'The source gives the authors as "A. Bastian et al."; the book is by Aston Zhang, Zachary C. Lipton, Mu Li and Alexander J. Smola.',
      },
      { id: 'chollet2021python', authors: ['François Chollet'], title: 'Deep Learning with Python, Second Edition', venue: 'Manning', year: 2021, url: 'https://www.manning.com/books/deep-learning-with-python-second-edition', kind: 'book', sourceSection: '8.1' },
      // §8.2 tools
      { id: 'abadi2016tensorflow', authors: ['Martín Abadi', 'Paul Barham', 'Jianmin Chen', 'et al.'], title: 'TensorFlow: A System for Large-Scale Machine Learning', venue: 'USENIX Symposium on Operating Systems Design and Implementation (OSDI)', year: 2016, url: 'https://www.tensorflow.org/', arxiv: '1605.08695', kind: 'software', sourceSection: '8.2' },
      { id: 'paszke2019pytorch', authors: ['Adam Paszke', 'Sam Gross', 'Francisco Massa', 'et al.'], title: 'PyTorch: An Imperative Style, High-Performance Deep Learning Library', venue: 'Advances in Neural Information Processing Systems (NeurIPS)', year: 2019, url: 'https://pytorch.org/', arxiv: '1912.01703', kind: 'software', sourceSection: '8.2' },
      {
        id: 'kluyver2016jupyter',
        authors: ['Thomas Kluyver', 'Benjamin Ragan-Kelley', 'Fernando Pérez', 'et al.'],
        title: 'Jupyter Notebooks – a publishing format for reproducible computational workflows',
        venue: 'Positioning and Power in Academic Publishing: Players, Agents and Agendas (ELPUB)',
        year: 2016,
        url: 'https://jupyter.org/',
        doi: '10.3233/978-1-61499-649-1-87',
        kind: 'software',
        sourceSection: '8.2',
      },
      // §8.3 papers
      {
        id: 'deng2009imagenet',
        authors: ['Jia Deng', 'Wei Dong', 'Richard Socher', 'Li-Jia Li', 'Kai Li', 'Li Fei-Fei'],
        title: 'ImageNet: A Large-Scale Hierarchical Image Database',
        venue: 'IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
        year: 2009,
        url: 'https://doi.org/10.1109/CVPR.2009.5206848',
        doi: '10.1109/CVPR.2009.5206848',
        kind: 'paper',
        sourceSection: '8.3',
        correction: 'The source cites "An Image Database Benchmark" by J. H. Foley et al.; no such paper exists. The image-database paper of deep learning is ImageNet, by Deng et al., CVPR 2009.',
      },
      { id: 'goodfellow2014gan', authors: ['Ian Goodfellow', 'Jean Pouget-Abadie', 'Mehdi Mirza', 'Bing Xu', 'David Warde-Farley', 'Sherjil Ozair', 'Aaron Courville', 'Yoshua Bengio'], title: 'Generative Adversarial Nets', venue: 'Advances in Neural Information Processing Systems (NIPS)', year: 2014, url: 'https://arxiv.org/abs/1406.2661', arxiv: '1406.2661', kind: 'paper', sourceSection: '8.3' },
      {
        id: 'devlin2019bert',
        authors: ['Jacob Devlin', 'Ming-Wei Chang', 'Kenton Lee', 'Kristina Toutanova'],
        title: 'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding',
        venue: 'Conference of the North American Chapter of the Association for Computational Linguistics (NAACL)',
        year: 2019,
        url: 'https://doi.org/10.18653/v1/N19-1423',
        doi: '10.18653/v1/N19-1423',
        arxiv: '1810.04805',
        kind: 'paper',
        sourceSection: '8.3',
      },
      // §5.2 the CIFAR-10 code
      {
        id: 'tensorflow-cnn-tutorial',
        authors: ['The TensorFlow Authors'],
        title: 'Convolutional Neural Network (CNN)',
        venue: 'TensorFlow Core tutorials',
        year: 2024,
        url: 'https://www.tensorflow.org/tutorials/images/cnn',
        kind: 'tutorial',
        sourceSection: '5.2',
        correction:
          "The source's copy ends the model with Dense(10, activation='softmax') yet compiles with SparseCategoricalCrossentropy(from_logits=True), so softmax is applied twice; the tutorial itself ends with Dense(10) (logits). Keep one of the two: logits with from_logits=True, or a softmax with from_logits=False.",
      },
      { id: 'krizhevsky2009cifar', authors: ['Alex Krizhevsky'], title: 'Learning Multiple Layers of Features from Tiny Images', venue: 'Technical report, University of Toronto', year: 2009, url: 'https://www.cs.toronto.edu/~kriz/cifar.html', kind: 'dataset' },
      // Cited by chapters 07 and 08
      { id: 'smilkov2019tfjs', authors: ['Daniel Smilkov', 'Nikhil Thorat', 'Yannick Assogba', 'et al.'], title: 'TensorFlow.js: Machine Learning for the Web and Beyond', venue: 'Conference on Machine Learning and Systems (SysML)', year: 2019, url: 'https://www.tensorflow.org/js', arxiv: '1901.05350', kind: 'software' },
      { id: 'tslab', authors: ['yunabe (GitHub user)'], title: 'tslab: interactive programming environment for JavaScript and TypeScript (a Jupyter kernel)', venue: 'GitHub', year: 2020, url: 'https://github.com/yunabe/tslab', kind: 'software' },
      { id: 'kaplan2020scaling', authors: ['Jared Kaplan', 'Sam McCandlish', 'Tom Henighan', 'et al.'], title: 'Scaling Laws for Neural Language Models', venue: 'arXiv', year: 2020, url: 'https://arxiv.org/abs/2001.08361', arxiv: '2001.08361', kind: 'paper' },
      { id: 'hoffmann2022chinchilla', authors: ['Jordan Hoffmann', 'Sebastian Borgeaud', 'Arthur Mensch', 'et al.'], title: 'Training Compute-Optimal Large Language Models', venue: 'Advances in Neural Information Processing Systems (NeurIPS)', year: 2022, url: 'https://arxiv.org/abs/2203.15556', arxiv: '2203.15556', kind: 'paper' },
      {
        id: 'gulshan2016retinopathy',
        authors: ['Varun Gulshan', 'Lily Peng', 'Marc Coram', 'et al.'],
        title: 'Development and Validation of a Deep Learning Algorithm for Detection of Diabetic Retinopathy in Retinal Fundus Photographs',
        venue: 'JAMA',
        year: 2016,
        url: 'https://doi.org/10.1001/jama.2016.17216',
        doi: '10.1001/jama.2016.17216',
        kind: 'paper',
      },
      { id: 'esteva2017dermatologist', authors: ['Andre Esteva', 'Brett Kuprel', 'Roberto A. Novoa', 'et al.'], title: 'Dermatologist-level classification of skin cancer with deep neural networks', venue: 'Nature', year: 2017, url: 'https://doi.org/10.1038/nature21056', doi: '10.1038/nature21056', kind: 'paper' },
      { id: 'sirignano2016mortgage', authors: ['Justin Sirignano', 'Apaar Sadhwani', 'Kay Giesecke'], title: 'Deep Learning for Mortgage Risk', venue: 'arXiv (later Journal of Financial Econometrics)', year: 2016, url: 'https://arxiv.org/abs/1607.02470', arxiv: '1607.02470', kind: 'paper' },
      { id: 'deepmind2019wind', authors: ['Sims Witherspoon', 'Will Fadrhonc'], title: 'Machine learning can boost the value of wind energy', venue: 'Google DeepMind blog', year: 2019, url: 'https://deepmind.google/discover/blog/machine-learning-can-boost-the-value-of-wind-energy/', kind: 'article' },
    ] as Reference[]
  ).map((r) => Object.freeze({ ...r, authors: Object.freeze([...r.authors]) })),
);

/**
 * One reference as a line of text: authors, year, title, venue, and its link
 * (with the DOI or arXiv id when it has one).
 * @param ref - a reference (e.g. from {@link REFERENCES}).
 * @returns the citation, e.g. `Jia Deng, Wei Dong, … (2009). ImageNet: … CVPR. https://doi.org/…`.
 * @throws {ArgumentError} when `ref` lacks authors, title or url.
 * @example
 * ```ts
 * formatReference({ id: 'x', authors: ['A. Author', 'B. Author'], title: 'A Title', venue: 'Venue', year: 2020, url: 'https://example.org/a-title', arxiv: '2001.00001', kind: 'paper' }); // 'A. Author, B. Author (2020). A Title. Venue. arXiv:2001.00001, https://example.org/a-title'
 * formatReference(REFERENCES[0]); // 'Ian Goodfellow, Yoshua Bengio, Aaron Courville (2016). Deep Learning. MIT Press. https://www.deeplearningbook.org/'
 * ```
 * @see [Notebook 07 §5 Medicine, finance, energy: what the outlook needs](../../notebooks/07-outlook.ipynb#5.-Medicine,-finance,-energy:-what-the-outlook-needs)
 * @see [Notebook 08 §1 The references](../../notebooks/08-tools-and-resources.ipynb#1.-The-references)
 */
export function formatReference(ref: Reference): string {
  const fn = 'formatReference';
  if (!Array.isArray(ref?.authors) || ref.authors.length === 0 || typeof ref.title !== 'string' || typeof ref.url !== 'string') {
    throw new ArgumentError(`${fn}: ref must be a Reference with authors, title and url, got ${describe(ref)}`);
  }
  // The DOI or arXiv id, unless the link already is it.
  const ids = [ref.doi && !ref.url.endsWith(ref.doi) ? `doi:${ref.doi}` : '', ref.arxiv && !ref.url.includes(ref.arxiv) ? `arXiv:${ref.arxiv}` : ''].filter(Boolean);
  const link = [...ids, ref.url].join(', ');
  return `${ref.authors.join(', ')} (${ref.year}). ${ref.title}. ${ref.venue}. ${link}`;
}
