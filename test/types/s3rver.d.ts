// @20minutes/s3rver ships no types; test/helpers/s3-server.ts describes what it uses.
declare module '@20minutes/s3rver';
