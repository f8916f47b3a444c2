import ArgumentParser

/// `--check`: read and check the flags, the environment and the configuration file as a run
/// would, then stop: exit 2 naming the first problem, or 0 saying the configuration holds (as
/// `nginx -t` or `promtool check config` do). Nothing is started, sent or written.
struct CheckOption: ParsableArguments {
    @Flag(help: "Check the flags, environment and configuration file, then stop: exit 2 naming the first problem, 0 when all is valid. Nothing is started.")
    var check = false

    /// Says the configuration holds (stdout), for a command that was only to be checked.
    func report(_ command: String) {
        print("netchaos \(command): the configuration is valid")
    }
}
