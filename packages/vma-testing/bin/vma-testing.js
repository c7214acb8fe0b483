#!/usr/bin/env node
// The CLI is compiled to dist/; this launcher is committed so that it exists
// when npm links bins at install time, before anything is built.
import '../dist/main.js';
