//! The command line's help in Chinese (English is the doc comments of
//! `cli::args`): the about line of each command and the help of each
//! option, by the command's path and the option's id.

/// The about line of the command at `path` (`[]` is `plancheck` itself).
pub fn about_zh(path: &[&str]) -> Option<&'static str> {
    Some(match path {
        [] => "按五年规划的约束性指标检查建设项目申请和县（市、区）指标报告",
        ["check"] => "检查申报文件和文件夹（逐层查找）",
        ["watch"] => "先检查全部文件，然后在文件变化时重新检查，直到中断",
        ["rules"] => "查看和检查规则包",
        ["rules", "list"] => "列出规则：编号、效力、适用对象、名称",
        ["rules", "explain"] => "显示一条规则的全文",
        ["rules", "lint"] => "解析并静态检查规则包（默认为内置规则包）",
        ["rules", "test"] => "运行规则文件中写明的示例",
        ["schema"] => "输出一种申报记录的 JSON Schema",
        ["template"] => "生成一种申报记录的填报模板（Excel 工作簿或 CSV）",
        ["serve"] => "启动 HTTP 服务和供审批人员使用的网页",
        ["lsp"] => "规则文件的语言服务器（标准输入输出）",
        ["rules", "fmt"] => "按统一格式排版规则文件",
        _ => return None,
    })
}

/// The help of option `id` of the command at `path`.
pub fn arg_zh(path: &[&str], id: &str) -> Option<&'static str> {
    Some(match (path.first().copied().unwrap_or(""), id) {
        (_, "help") => "显示帮助",
        (_, "version") => "显示版本",
        ("check" | "watch", "paths") => "申报文件和文件夹（watch 为要监视的文件夹）",
        ("serve", "rules") => "从此文件夹加载规则包，代替内置规则包（文件变化时重新加载）",
        (_, "rules") => "从此文件夹加载规则包，代替内置规则包",
        ("check" | "watch", "format") => {
            "输出格式：human（默认，供人阅读）、json、sarif、junit、github；watch 只支持 human 和 json"
        }
        ("template", "format") => "模板格式：xlsx（默认，带下拉列表、格式和填写说明）或 csv",
        (_, "lang") => "提示语言：zh 或 en（默认按 LC_ALL、LC_MESSAGES、LANG 环境变量）",
        (_, "deny_warnings") => "有警告时也视为不通过（退出码 1）",
        (_, "date") => "按此日期检查，代替每条记录自己的日期",
        (_, "select") => "只检查此编号或编号前缀的规则（可重复；完整编号只指该条规则）",
        (_, "ignore") => "不检查此编号或编号前缀的规则（可重复；完整编号只指该条规则）",
        (_, "all") => "同时列出通过和不适用的结果",
        (_, "quiet") => "只显示不通过的记录及其错误（human、sarif、github）",
        ("serve", "verbose") => "把每个请求记录到标准错误",
        (_, "verbose") => "同时列出被跳过的文件及原因",
        (_, "max_body") => "请求体的最大字节数（默认 16 MiB）",
        (_, "timeout") => "一次检查最长的秒数，超时答复 503（默认 30）",
        (_, "concurrency") => "同时处理的请求数，其余排队（默认 64）",
        (_, "decision_log") => "每个审查结果追加一行 JSON 到此文件（- 为标准输出）",
        (_, "log_input") => "审查日志中同时保存提交的原文",
        ("check" | "watch", "output") => "把输出写入此文件，代替标准输出（如 HTML 审查报告）",
        (_, "exclude") => "不检查与此通配模式匹配的文件或文件夹（匹配相对路径或名称；可重复）",
        (_, "jobs") => "工作线程数（默认每个核心一个；1 为顺序检查，输出相同）",
        (_, "color") => "人读输出的颜色：auto（默认）、always、never",
        (_, "debounce_ms") => "文件变化后静候的毫秒数（其间的变化合并为一批），默认 200",
        (_, "kind") => "记录类型：project 或 county（规则包的任一记录类型）",
        (_, "id") => "规则编号",
        (_, "dir") => "规则包所在的文件夹",
        (_, "output") => "写入的文件（默认：标准输出不是终端时写到标准输出，否则写到当前文件夹的 <类型>-template.<格式>）",
        (_, "addr") => "监听的地址和端口（默认 127.0.0.1:8080）",
        (_, "check") => "只检查格式，不改写文件；有需要排版的文件时退出码为 1",
        ("rules", "paths") => "规则文件或其所在文件夹（默认 rules/）",
        _ => return None,
    })
}

/// The placeholder of option `id`'s value in Chinese.
pub fn value_name_zh(id: &str) -> Option<&'static str> {
    Some(match id {
        "paths" => "路径",
        "exclude" => "通配模式",
        "rules" | "dir" => "目录",
        "format" => "格式",
        "lang" => "语言",
        "color" => "颜色",
        "date" => "日期",
        "select" | "ignore" => "编号或前缀",
        "jobs" => "线程数",
        "debounce_ms" => "毫秒",
        "kind" => "类型",
        "id" => "规则编号",
        "output" => "文件",
        "addr" => "地址",
        "max_body" => "字节数",
        "timeout" => "秒",
        "concurrency" => "请求数",
        "decision_log" => "文件",
        _ => return None,
    })
}

catalogue! {
    /// Heading of the usage line.
    usage() { zh: "用法：", en: "Usage: " }
    /// Heading of the commands.
    commands() { zh: "命令", en: "Commands" }
    /// Heading of the options.
    options() { zh: "选项", en: "Options" }
    /// Heading of the arguments.
    arguments() { zh: "参数", en: "Arguments" }
    /// Where usage errors point.
    more_help(command: &str) {
        zh: "运行 `{command} --help` 查看帮助",
        en: "for more information, try `{command} --help`",
    }
    /// An unknown option.
    unknown_argument(arg: &str) { zh: "未知的参数 `{arg}`", en: "unexpected argument `{arg}`" }
    /// An unknown command.
    unknown_command(command: &str) { zh: "未知的命令 `{command}`", en: "unrecognized subcommand `{command}`" }
    /// A value that is not one of the choices.
    invalid_value(arg: &str, value: &str, valid: &str) {
        zh: "`{arg}` 的值 `{value}` 无效；可选：{valid}",
        en: "invalid value `{value}` for `{arg}`; possible values: {valid}",
    }
    /// A value its parser rejects.
    bad_value(arg: &str, value: &str) {
        zh: "`{arg}` 的值 `{value}` 无效（日期写作 YYYY-MM-DD，数目写作整数）",
        en: "invalid value `{value}` for `{arg}`",
    }
    /// A required argument absent.
    missing_argument(args: &str) { zh: "缺少必需的参数 {args}", en: "the following required arguments were not provided: {args}" }
    /// Any other usage error.
    usage_error() { zh: "命令行参数有误", en: "the command line is not valid" }
}
