// The conventions miner's worker thread (feature-thread.ts starts it): each request is one file's text, answered
// with its feature tallies (featuresOf: tree-sitter parse and the conventions query), so cold mining of a large
// workspace never blocks the thread that asked (the VS Code extension host).
import { serveParseRequests } from "../parse-thread";
import { featuresOf } from "./miner";

serveParseRequests(featuresOf);
