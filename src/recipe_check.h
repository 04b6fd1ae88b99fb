/* recipe_check.h: which recipe values may become file and folder names.
 *
 * name, version, name-version, file, dir and inner's DIR each become one
 * component of a path under the top (work/src/<name>-<version>,
 * sources/<file>, an archive's top folder); inner's FILE is a path inside
 * the unpacked tree. A value that could step out of its folder, or that no
 * file system could hold, is refused when the recipe is read (with its
 * file:line, by recipe.c), not when a build reaches it. */
#ifndef RECIPE_CHECK_H
#define RECIPE_CHECK_H

/* Longer names are refused: name-version plus ".lock-" or ".tmp.outer"
 * must still fit the 255 bytes a file name may have. */
#define RECIPE_NAME_MAX 200

/* NULL when v may be one path component: not empty, not . or .., no '/',
 * at most RECIPE_NAME_MAX bytes; else the reason, as "it ..." . */
const char *recipe_check_component(const char *v);
/* NULL when v is a relative path inside a tree: not empty, not absolute,
 * no '..' component, at most RECIPE_NAME_MAX bytes; else the reason. */
const char *recipe_check_inside(const char *v);

#endif
