/**
 * Course categories (the organization tree: municipality > school > academic year, as configured).
 * Source: course/externallib.php `get_categories`, `create_categories`
 * (https://github.com/moodle/moodle/blob/main/course/externallib.php) and moodle.md §3.
 */
import { z } from 'zod';
import { type RecordOutcome, type WriteOptions, writeInBatches } from './batches.ts';
import type { MoodleClient } from './client.ts';
import { moodleBool } from './schemas.ts';

export const moodleCategorySchema = z.object({
  id: z.number(),
  name: z.string(),
  /** Returned only to callers with moodle/category:manage. */
  idnumber: z.string().optional(),
  parent: z.number(),
  depth: z.number().optional(),
  path: z.string().optional(),
  visible: moodleBool.optional(),
});
export type MoodleCategory = z.infer<typeof moodleCategorySchema>;

export interface NewMoodleCategory {
  name: string;
  idnumber: string;
  /** Moodle id of the parent category; 0 = top level. */
  parent: number;
  description?: string;
}

export type CategoryCriterion = {
  key: 'id' | 'ids' | 'name' | 'parent' | 'idnumber' | 'visible' | 'theme';
  value: string | number;
};

/**
 * core_course_get_categories. No criteria = every category the caller can see (one call; category
 * trees are small). Several criteria are combined with AND, so one idnumber = one call.
 * https://docs.moodle.org/dev/Web_service_API_functions#core_course_get_categories
 */
export function getCategories(
  client: MoodleClient,
  criteria: readonly CategoryCriterion[] = [],
  addsubcategories = false,
): Promise<MoodleCategory[]> {
  return client.call(
    'core_course_get_categories',
    { criteria: criteria.map((c) => ({ ...c })), addsubcategories },
    z.array(moodleCategorySchema),
  );
}

export async function getCategoryByIdnumber(
  client: MoodleClient,
  idnumber: string,
): Promise<MoodleCategory | undefined> {
  const found = await getCategories(client, [{ key: 'idnumber', value: idnumber }]);
  return found.find((c) => c.idnumber === idnumber);
}

/**
 * Every category with one of `idnumbers`, in a single listing: cheaper than one call per
 * idnumber for the few dozen categories a school or municipality has.
 */
export async function getCategoriesByIdnumber(
  client: MoodleClient,
  idnumbers: readonly string[],
): Promise<MoodleCategory[]> {
  if (idnumbers.length === 0) return [];
  const wanted = new Set(idnumbers);
  const all = await getCategories(client);
  return all.filter((c) => c.idnumber !== undefined && wanted.has(c.idnumber));
}

const createdSchema = z.array(z.object({ id: z.number(), name: z.string() }));

/**
 * core_course_create_categories: one transaction per call (bisected on a rejection). Parents must
 * exist first, so callers create one tree level at a time.
 * https://docs.moodle.org/dev/Web_service_API_functions#core_course_create_categories
 */
export function createCategories(
  client: MoodleClient,
  categories: readonly NewMoodleCategory[],
  options: WriteOptions = {},
): Promise<Array<RecordOutcome<NewMoodleCategory, { id: number; name: string }>>> {
  return writeInBatches(categories, {
    budget: client.paramBudget,
    ...options,
    paramsOf: (c) => ({ categories: [{ ...c }] }),
    send: (batch) =>
      client.call(
        'core_course_create_categories',
        { categories: batch.map((c) => ({ ...c })) },
        createdSchema,
      ),
  });
}
