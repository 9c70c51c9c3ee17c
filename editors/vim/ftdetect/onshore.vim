" Onshore scenario files
autocmd BufRead,BufNewFile *.ons setfiletype onshore
