# bash completion for onshore: options, their values, check/dis/ast and .ons files
_onshore() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    case $prev in
        --format) COMPREPLY=($(compgen -W "table csv tsv long json markdown" -- "$cur")); return ;;
        -I|--sweep-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -e|-D|--set|--seed|--jobs|-j|--max-steps|--shard) COMPREPLY=(); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "-e -D --set -i -q --quiet -I --format --seed --jobs -j --shard --sweep-dir --max-steps --version --help" -- "$cur"))
        return
    fi
    COMPREPLY=()
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "check dis ast" -- "$cur"))
    fi
    COMPREPLY+=($(compgen -f -X '!*.ons' -- "$cur") $(compgen -d -- "$cur"))
}
complete -o filenames -F _onshore onshore
