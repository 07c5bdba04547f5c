/**
 * Which real backends the integration tests use. SQLite always; MariaDB and Redis when
 * HUB_TEST_MYSQL_URL / HUB_TEST_REDIS_URL are set (CI sets them). With HUB_REQUIRE_INTEGRATION=1
 * a missing backend fails the suite instead of skipping it.
 */
export const MYSQL_URL = process.env.HUB_TEST_MYSQL_URL;
export const REDIS_URL = process.env.HUB_TEST_REDIS_URL;

if (process.env.HUB_REQUIRE_INTEGRATION === '1' && (!MYSQL_URL || !REDIS_URL)) {
  throw new Error('HUB_REQUIRE_INTEGRATION=1 but HUB_TEST_MYSQL_URL or HUB_TEST_REDIS_URL is not set: integration tests would be skipped');
}

export type Dialect = 'sqlite' | 'mysql';
export const DIALECTS: Dialect[] = MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
