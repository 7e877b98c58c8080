/**
 * Quick mode: `COURSE_QUICK=1` makes notebooks and the main job run on a small
 * slice with one epoch, for tests and CI. Without it they run the real lesson.
 */

/**
 * Whether quick mode is on (`COURSE_QUICK` is `1`, `true` or `yes`).
 * @example
 * ```ts
 * process.env.COURSE_QUICK = '1';
 * quickMode(); // true
 * delete process.env.COURSE_QUICK;
 * quickMode(); // false
 * ```
 * @see [Notebook 00 §4 Quick mode](../../notebooks/00-getting-started.ipynb#4.-Quick-mode)
 * @see [Notebook 02: core concepts — talent, technology, market](../../notebooks/02-core-concepts.ipynb#Chapter-02:-core-concepts-—-talent,-technology,-market)
 * @see [Notebook 03: the training pipeline](../../notebooks/03-training-pipeline.ipynb#Chapter-03:-the-training-pipeline)
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 * @see [Notebook 04: the maths of an MLP](../../notebooks/04-mlp-maths.ipynb#Chapter-04:-the-maths-of-an-MLP)
 * @see [Notebook 04b: cats against dogs with a small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#Chapter-04b:-cats-against-dogs-with-a-small-ResNet)
 * @see [Notebook 05: a CNN for CIFAR-10](../../notebooks/05-cifar10-cnn.ipynb#Chapter-05:-a-CNN-for-CIFAR-10)
 * @see [Notebook 06b: recognising your own images](../../notebooks/06b-own-images.ipynb#Chapter-06b:-recognising-your-own-images)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 * @see [Notebook 06c: a spoken-keyword voice assistant](../../notebooks/06c-voice-assistant.ipynb#Chapter-06c:-a-spoken-keyword-voice-assistant)
 * @see [Notebook 07: outlook: why models grow](../../notebooks/07-outlook.ipynb#Chapter-07:-outlook:-why-models-grow)
 */
export function quickMode(): boolean {
  return /^(1|true|yes)$/i.test(process.env.COURSE_QUICK ?? '');
}

/**
 * Picks the full value, or the quick one in quick mode.
 * @example
 * ```ts
 * quick(10, 1); // 10 (COURSE_QUICK unset: the full lesson)
 * process.env.COURSE_QUICK = '1';
 * quick(10, 1); // 1
 * delete process.env.COURSE_QUICK;
 * ```
 * @see [Notebook 00 §4 Quick mode](../../notebooks/00-getting-started.ipynb#4.-Quick-mode)
 * @see [Notebook 01 §5 How fast is this machine? The CNN's FLOPs against a timed run](../../notebooks/01-background.ipynb#5.-How-fast-is-this-machine?-The-CNN's-FLOPs-against-a-timed-run)
 * @see [Notebook 03 §1 The data](../../notebooks/03-training-pipeline.ipynb#1.-The-data)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
 * @see [Notebook 09 §5 What the budget costs on the machines of chapter 01](../../notebooks/09-summary-and-challenges.ipynb#5.-What-the-budget-costs-on-the-machines-of-chapter-01)
 */
export function quick<T>(full: T, quickValue: T): T {
  return quickMode() ? quickValue : full;
}
