// The tag index's parsing thread (tag-parser-thread.ts starts it): parses the files it is sent and posts back their
// tags, so building the index of a large workspace never holds the thread that serves the editor. The index itself
// lives in the thread that asked.
import { serveParseRequests } from "../parse-thread";
import { parseTags } from "./tag-index";

serveParseRequests(parseTags);
