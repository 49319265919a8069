package command

// completionScripts are what `ca-helper completion SHELL` prints. Each asks
// `ca-helper __complete` for the candidates, which reads only the command
// tree: completing never runs a command or fetches a token.
var completionScripts = map[string]string{
	"bash":       bashCompletion,
	"zsh":        zshCompletion,
	"fish":       fishCompletion,
	"powershell": powershellCompletion,
}

const bashCompletion = `# bash completion for ca-helper: source <(ca-helper completion bash)
_ca_helper() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local IFS=$'\n'
    COMPREPLY=($(command ca-helper __complete "--current=${cur}" "${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null))
}
complete -o default -F _ca_helper ca-helper
`

const zshCompletion = `#compdef ca-helper
# zsh completion for ca-helper: save as _ca-helper in a directory of $fpath,
# or source <(ca-helper completion zsh) after compinit.
_ca_helper() {
    local -a candidates
    candidates=("${(@f)$(command ca-helper __complete "--current=${words[CURRENT]}" "${(@)words[2,CURRENT-1]}" 2>/dev/null)}")
    candidates=(${candidates:#})
    if (( ${#candidates} )); then
        compadd -- "${candidates[@]}"
    else
        _files
    fi
}
if [[ "${funcstack[1]}" == "_ca_helper" || "${funcstack[1]}" == "_ca-helper" ]]; then
    _ca_helper "$@"
else
    compdef _ca_helper ca-helper
fi
`

const fishCompletion = `# fish completion for ca-helper: save as ~/.config/fish/completions/ca-helper.fish
function __ca_helper_complete
    set -l words (commandline -opc)
    set -e words[1]
    command ca-helper __complete --current=(commandline -ct) $words 2>/dev/null
end
complete -c ca-helper -e
complete -c ca-helper -f -a '(__ca_helper_complete)'
`

const powershellCompletion = `# PowerShell completion for ca-helper: add to $PROFILE
#   ca-helper completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName ca-helper, ca-helper.exe -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 |
        Where-Object { $_.Extent.EndOffset -lt $cursorPosition } |
        ForEach-Object { $_.ToString() })
    & ca-helper __complete "--current=$wordToComplete" @words 2>$null | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`
