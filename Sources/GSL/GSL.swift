// Module GSL — see README "Architecture".
