// How every command of tools/ ends: the exit code its `main` returns, once stdout has drained (a pipe takes
// writes asynchronously, and exiting at once cut a large --json document at 64 KiB), or 2 when `main` throws.

export function runCommand(main: () => Promise<number>, describe: (e: unknown) => unknown = (e) => e): void {
    const exit = (code: number) => process.stdout.write("", () => process.exit(code));
    main().then(exit, (e) => {
        console.error(describe(e));
        exit(2);
    });
}
