// The API keys every test server accepts (the real one in ./server.ts and the in-memory one in
// ./memory/app.ts), apart so that importing them loads no server.
export const TEST_KEY = 'test-key-aaaaaaaa';
export const OTHER_KEY = 'test-key-bbbbbbbb';
