//! What the command line says itself: usage errors, `rules` commands and
//! the watcher's lines.

catalogue! {
    /// `rules fmt --check`: a file not in the canonical layout.
    fmt_would_change(path: &str) {
        zh: "{path} 需要排版",
        en: "{path} is not formatted",
    }
    /// `rules fmt`: a file rewritten.
    fmt_formatted(path: &str) { zh: "已排版 {path}", en: "formatted {path}" }
    /// `rules fmt`: a file that does not parse.
    fmt_does_not_parse(path: &str) {
        zh: "{path} 无法解析，未排版（用 `plancheck rules lint` 查看原因）",
        en: "{path} does not parse and was not formatted (`plancheck rules lint` says why)",
    }
    /// `rules fmt`: the formatter would change a file's meaning (a bug).
    fmt_would_change_meaning(path: &str) {
        zh: "{path} 未排版：排版会改变其含义，这是 plancheck 的缺陷，请报告",
        en: "{path} was not formatted: the layout would change what it says, which is a bug in plancheck; please report it",
    }
    /// `rules fmt`: the end.
    fmt_summary(files: usize, changed: usize) {
        zh: "{files} 个规则文件，{changed} 个需要排版",
        en: "{files} rule file(s), {changed} not formatted",
    }
    /// `serve` is up.
    serve_listening(url: &str) {
        zh: "plancheck 服务已启动：{url}（Ctrl-C 停止）",
        en: "plancheck is serving on {url} (Ctrl-C to stop)",
    }
    /// `serve` cannot listen or open its log.
    serve_cannot_start(why: &str) {
        zh: "无法启动服务：{why}",
        en: "cannot start the service: {why}",
    }
    /// `serve` stopped after a signal.
    serve_stopped() {
        zh: "服务已停止：处理中的请求均已完成",
        en: "the service stopped: requests in flight were finished",
    }
    /// `-o` names a submission being checked.
    output_is_input(path: &str) {
        zh: "输出文件 {path} 是所检查的申报文件之一：申报文件只读不写",
        en: "the output file {path} is one of the submissions checked: submissions are only ever read",
    }
    /// `watch -o` with a format whose output is a stream of changes.
    watch_output_needs_document() {
        zh: "watch 只在整份文档格式（sarif、junit、github、html）下写入 -o 文件；人读文本和 JSON 的变化写到标准输出",
        en: "watch writes the -o file only in a whole-document format (sarif, junit, github, html); human and JSON changes go to standard output",
    }
    /// A watched folder that vanished.
    watch_root_gone(path: &str) {
        zh: "监视的文件夹 {path} 已不存在：其中的结果已移除，文件夹重新出现时继续监视",
        en: "the watched folder {path} is gone: its results are removed, and it is watched again when it comes back",
    }
    /// A watched folder back (or replaced).
    watch_root_back(path: &str) {
        zh: "监视的文件夹 {path} 已重新出现，继续监视",
        en: "the watched folder {path} is back and watched again",
    }
    /// One skipped path, as `-v` lists it.
    skipped_line(path: &str, why: &str) { zh: "已跳过 {path}：{why}", en: "skipped {path}: {why}" }
    /// Skipped: hidden.
    skip_hidden() { zh: "隐藏文件或文件夹", en: "hidden" }
    /// Skipped: excluded.
    skip_excluded() { zh: "被 --exclude 排除", en: "excluded by --exclude" }
    /// Skipped: an office lock file.
    skip_lock() { zh: "办公软件的锁定文件", en: "an office program's lock file" }
    /// Skipped: not a submission file.
    skip_not_submission() { zh: "不是申报文件", en: "not a submission file" }
    /// Skipped: a link out of the folder.
    skip_link_outside() { zh: "符号链接指向所检查的文件夹之外", en: "a symbolic link out of the folder checked" }
    /// Skipped: a broken link.
    skip_broken_link() { zh: "符号链接无效或成环", en: "a symbolic link that leads nowhere or round in a loop" }
    /// Skipped: not a regular file.
    skip_not_regular() { zh: "不是普通文件（命名管道、套接字或设备）", en: "not a regular file (a FIFO, socket or device)" }
    /// A bad --exclude pattern.
    bad_exclude(pattern: &str, reason: &str) { zh: "--exclude `{pattern}` 不是有效的通配模式：{reason}", en: "--exclude `{pattern}` is not a valid glob: {reason}" }
    /// A path that is a FIFO, a device or a folder where a file is read.
    io_not_regular() {
        zh: "不是普通文件（而是命名管道、设备或文件夹）",
        en: "not a regular file (a FIFO, a device or a folder)",
    }
    /// A file larger than plancheck reads.
    io_too_large(max: &str) { zh: "文件超过 {max}", en: "larger than {max}" }
    /// A pack's source outside its tree.
    source_outside(source: &str) {
        zh: "`{source}` 不在规则包所属的目录树中（规则文件夹的上一级目录之内）",
        en: "`{source}` lies outside the tree the pack belongs to (the folder holding the rules folder)",
    }
    /// A rules folder with too many files.
    too_many_rules_files(count: usize, max: usize) {
        zh: "有 {count} 个规则文件，最多 {max} 个",
        en: "{count} rules files, more than the {max} a pack may have",
    }
    /// `--select`/`--ignore` naming no rule.
    matches_no_rule(pattern: &str) {
        zh: "错误：`{pattern}` 不匹配规则包中的任何规则编号",
        en: "error: `{pattern}` matches no rule id of the pack",
    }
    /// A help line under an error.
    help_line(help: &str) {
        zh: "  提示：{help}",
        en: "  help: {help}",
    }
    /// Where to find the rule ids.
    see_rules_list() {
        zh: "见 `plancheck rules list`",
        en: "see `plancheck rules list`",
    }
    /// `rules explain` of an unknown id.
    unknown_rule(id: &str) {
        zh: "错误：未知的规则 `{id}`",
        en: "error: unknown rule `{id}`",
    }
    /// Worker threads that do not start.
    no_threads(reason: &str) {
        zh: "错误：无法启动工作线程：{reason}",
        en: "error: cannot start worker threads: {reason}",
    }
    /// The count of a pack's problems.
    pack_problems(count: usize) {
        zh: "错误：规则包有 {count} 个问题",
        en: "error: the rule pack has {count} problem(s)",
    }
    /// `rules lint` on a good pack.
    lint_ok(name: &str, rules: usize, quotes: usize) {
        zh: "通过：规则包 `{name}`：{rules} 条规则，{quotes} 处引文均在规划原文中逐字找到",
        en: "ok: pack `{name}`: {rules} rules, {quotes} quotes found verbatim in the source document",
    }
    /// `rules list` closing line.
    rules_in_pack(count: usize, name: &str) {
        zh: "规则包 `{name}` 共 {count} 条规则",
        en: "{count} rules in pack `{name}`",
    }
    /// A failing example.
    example_failed(rule: &str, number: usize, expected: &str, got: &str) {
        zh: "失败 {rule} 示例 {number}：应为 {expected}，实为 {got}",
        en: "FAIL {rule} example {number}: expected {expected}, got {got}",
    }
    /// The code lens over a rule in an editor.
    lens_examples(passed: usize, failed: usize) {
        zh: "示例：通过 {passed}，失败 {failed}",
        en: "examples: {passed} pass, {failed} fail",
    }
    /// The pack errors past those shown.
    pack_problems_not_shown(count: usize) {
        zh: "……另有 {count} 处问题未列出（先修正以上各处）",
        en: "… and {count} more problem(s) not shown (fix the ones above first)",
    }
    /// The pack does not load because of other files.
    lsp_pack_broken_elsewhere(count: usize, first_file: &str, first: &str) {
        zh: "规则包无法加载：其他文件中有 {count} 处问题，第一处在 {first_file}：{first}",
        en: "the pack does not load: {count} problem(s) in other files, the first in {first_file}: {first}",
    }
    /// Hover over a unit in an editor.
    lsp_unit(dimension: &str) { zh: "单位，量纲：{dimension}", en: "unit of {dimension}" }
    /// An example that gave no outcome.
    no_outcome() { zh: "无结果", en: "no outcome" }
    /// `rules test` closing line.
    examples_summary(passed: usize, failed: usize, rules: usize) {
        zh: "规则示例：通过 {passed}，失败 {failed}（共 {rules} 条规则）",
        en: "rules test: {passed} passed, {failed} failed ({rules} rules)",
    }
    /// A record kind without a schema.
    no_such_kind(kind: &str, kinds: &str) {
        zh: "错误：规则包中没有记录类型 `{kind}`（可选：{kinds}）",
        en: "error: the pack has no record kind `{kind}` (one of: {kinds})",
    }
    /// `watch` of something that is not a folder.
    not_a_folder(path: &str) {
        zh: "错误：`{path}` 不是文件夹\n  提示：watch 监视存放申报材料的文件夹",
        en: "error: `{path}` is not a folder\n  help: watch takes folders of submissions",
    }
    /// A path that cannot be read.
    cannot_read(path: &str, reason: &str) {
        zh: "错误：无法读取 `{path}`：{reason}",
        en: "error: cannot read `{path}`: {reason}",
    }
    /// File watching that cannot start.
    cannot_watch_files(reason: &str) {
        zh: "错误：无法监视文件：{reason}",
        en: "error: cannot watch files: {reason}",
    }
    /// A folder that cannot be watched.
    cannot_watch(path: &str, reason: &str) {
        zh: "错误：无法监视 `{path}`：{reason}",
        en: "error: cannot watch `{path}`: {reason}",
    }
    /// A problem the file watcher reports.
    watch_warning(reason: &str) {
        zh: "警告：文件监视：{reason}",
        en: "warning: file watching: {reason}",
    }
    /// The summary line of the watcher (`what` says which batch).
    #[expect(clippy::too_many_arguments, reason = "the line counts every status")]
    watch_summary(time: &str, what: &str, files: usize, records: usize, pass: usize, warn: usize, fail: usize, invalid: usize, ms: &str) {
        zh: "[{time}] {what}共 {files} 个文件、{records} 条记录：通过 {pass}，警告 {warn}，不通过 {fail}，无效 {invalid}（用时 {ms} 毫秒）",
        en: "[{time}] {what}{files} file(s), {records} record(s): {pass} pass, {warn} warn, {fail} fail, {invalid} invalid ({ms} ms)",
    }
    /// The first check of a watch.
    watch_initial() { zh: "初次检查：", en: "checked " }
    /// After the first check.
    watching() {
        zh: "；正在监视变化（Ctrl-C 退出）\n",
        en: "; watching for changes (Ctrl-C to stop)\n",
    }
    /// A file removed from a watched folder.
    watch_removed(path: &str, count: usize) {
        zh: "− {path} 已删除或移出，其 {count} 项结果已清除\n",
        en: "− {path} was removed; its {count} finding(s) are gone\n",
    }
    /// A re-checked file whose findings did not change.
    watch_no_change() {
        zh: "  结果未变\n",
        en: "  no change in findings\n",
    }
    /// A finding that no longer occurs (`at`: `:line:column` or empty).
    watch_resolved(rule: &str, path: &str, at: &str, message: &str) {
        zh: "  ✓ 已解决 {rule} {path}{at}：{message}\n",
        en: "  ✓ resolved {rule} at {path}{at}: {message}\n",
    }
    /// What one batch of the watcher did.
    watch_batch(batch: u64, rechecked: usize, removed: usize) {
        zh: "第 {batch} 批：重新检查 {rechecked} 个文件，删除 {removed} 个；",
        en: "batch {batch}: re-checked {rechecked}, removed {removed}; ",
    }
    /// The rule pack was loaded again.
    watch_reloaded() {
        zh: "规则包已重新加载，重新检查全部文件\n",
        en: "rule pack reloaded; re-checking everything\n",
    }
    /// The rule pack no longer loads.
    watch_keeps_pack() {
        zh: "规则包有错误，继续使用上一版规则",
        en: "the rule pack has errors; still using the last good pack",
    }
    /// The watcher stops.
    watch_stopped() { zh: "停止监视。", en: "stopped. " }
    /// A check that found no submission file at all.
    no_submission_found() {
        zh: "错误：给定的路径中没有任何申报文件（.json、.jsonl、.csv、.xlsx、.xls）；没有检查任何记录",
        en: "error: the paths given hold no submission file (.json, .jsonl, .csv, .xlsx, .xls); no record was checked",
    }
    /// A template that could not be made.
    template_failed(reason: &str) {
        zh: "错误：无法生成模板：{reason}",
        en: "error: cannot make the template: {reason}",
    }
    /// Where a template was written.
    template_written(path: &str) {
        zh: "模板已写入 {path}",
        en: "template written to {path}",
    }
    /// A file that cannot be written.
    cannot_write(path: &str, reason: &str) {
        zh: "错误：无法写入 `{path}`：{reason}",
        en: "error: cannot write `{path}`: {reason}",
    }
    /// A file that does not exist.
    io_not_found() { zh: "文件或文件夹不存在", en: "no such file or folder" }
    /// A file that may not be read.
    io_permission() { zh: "没有读取权限", en: "permission denied" }
    /// A file whose bytes are not what was expected.
    io_invalid_data() { zh: "内容无法读取（不是 UTF-8 文本）", en: "the contents cannot be read" }
    /// A folder where a file was expected.
    io_is_directory() { zh: "这是一个文件夹", en: "it is a folder" }
    /// Any other reason a file cannot be read.
    io_other() { zh: "读取失败", en: "it cannot be read" }
    /// A document the embedded pack cites that is not in the build.
    not_embedded(path: &str) {
        zh: "`{path}` 未嵌入本程序",
        en: "`{path}` is not embedded in this build",
    }
    /// The progress bar of a long check (indicatif's placeholders in braces).
    progress() {
        zh: "{{spinner}} 已检查 {{human_pos}} 条记录（{{per_sec}}）{{elapsed}}",
        en: "{{spinner}} {{human_pos}} records checked ({{per_sec}}) {{elapsed}}",
    }
}
